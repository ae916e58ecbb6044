"""A running process: engine, app, scheduler, and the server or socket that feeds them."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from apscheduler.schedulers.base import BaseScheduler
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.app import clients_for, create_app, make_client
from bot.clock import Clock, SystemClock
from bot.config import DealCoachConfig
from bot.db import migrate
from bot.db.session import SessionFactory, make_engine, make_session_factory
from bot.deps import Deps
from bot.scheduler import build_scheduler
from bot.scheduler.jobs import Sweeper
from bot.settings import Settings

log = logging.getLogger("dealcoach")


@dataclass
class Runtime:
    settings: Settings
    config: DealCoachConfig
    engine: Engine
    session_factory: SessionFactory
    clock: Clock

    @classmethod
    def start(
        cls, settings: Settings, config: DealCoachConfig, clock: Clock | None = None
    ) -> Runtime:
        """Connect and refuse to go on if the schema is behind the code."""
        engine = make_engine(settings.database_url)
        migrate.require_current(engine, settings.database_url)
        return cls(settings, config, engine, make_session_factory(engine), clock or SystemClock())

    def client(self) -> WebClient:
        return make_client(self.settings)

    def app(self, *, socket_mode: bool = False) -> App:
        return create_app(
            self.settings,
            self.session_factory,
            self.client(),
            config=self.config,
            clock=self.clock,
            socket_mode=socket_mode,
        )

    def sweeper(self) -> Sweeper:
        deps = Deps(config=self.config, session_factory=self.session_factory, clock=self.clock)
        return Sweeper(deps, self.client_for())

    def client_for(self) -> Callable[[str], WebClient]:
        return clients_for(self.settings, self.session_factory)

    def serve(self, *, host: str | None, port: int | None, scheduler: bool) -> None:
        from waitress.server import create_server

        from bot.web import wsgi_app

        server = create_server(
            wsgi_app(self.app(), self.engine),
            host=host or self.settings.host,
            port=port or self.settings.port,
            threads=8,
        )
        background = self._background_scheduler() if scheduler else None
        log.info(
            "serving Slack requests",
            extra={
                "url": f"http://{host or self.settings.host}:{port or self.settings.port}"
                "/slack/events",
                "scheduler": scheduler,
            },
        )

        def stop(_signum: int, _frame: FrameType | None) -> None:
            server.close()

        signal.signal(signal.SIGTERM, stop)
        try:
            server.run()
        finally:
            if background is not None:
                background.shutdown(wait=False)
            self.engine.dispose()

    def socket(self, *, scheduler: bool) -> None:
        """Connect over Socket Mode until SIGTERM, then close the socket, stop the
        scheduler and return, so the process exits 0. An app-level token Slack refuses
        stops start-up with one line (:class:`SettingsError`)."""
        import threading

        from slack_bolt.adapter.socket_mode import SocketModeHandler
        from slack_sdk.errors import SlackApiError

        from bot.settings import HOW_TO_SET, SettingsError

        self.settings.require("SLACK_APP_TOKEN")
        assert self.settings.slack_app_token is not None
        stopping = threading.Event()

        def stop(_signum: int, _frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        handler = SocketModeHandler(
            self.app(socket_mode=True), self.settings.slack_app_token.get_secret_value()
        )
        background = self._background_scheduler() if scheduler else None
        log.info("connecting over Socket Mode", extra={"scheduler": scheduler})
        try:
            try:
                handler.connect()  # type: ignore[no-untyped-call]
            except SlackApiError as exc:
                error = exc.response.get("error", "an error")
                raise SettingsError(
                    f"SLACK_APP_TOKEN was refused by Slack ({error}): it needs "
                    f"{HOW_TO_SET['SLACK_APP_TOKEN']}."
                ) from None
            while not stopping.wait(timeout=1.0):
                pass
            log.info("closing the Socket Mode connection")
        finally:
            handler.close()  # type: ignore[no-untyped-call]
            if background is not None:
                background.shutdown(wait=False)
            self.engine.dispose()

    def worker(self) -> None:
        log.info(
            "worker sweeping due nudges",
            extra={"every_seconds": self.settings.sweep_interval_seconds},
        )
        build_scheduler(
            self.sweeper(), interval_seconds=self.settings.sweep_interval_seconds, blocking=True
        ).start()

    def _background_scheduler(self) -> BaseScheduler:
        scheduler = build_scheduler(
            self.sweeper(), interval_seconds=self.settings.sweep_interval_seconds, blocking=False
        )
        scheduler.start()
        return scheduler
