"""A running process: engine, app, scheduler, and the server or socket that feeds them.

`serve` imports nothing of the sweep (APScheduler, the planners, the CRM jobs) before it
listens: the scheduler is built and started beside the server once it is listening.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.app import clients_for, create_app, make_client
from bot.clock import Clock, SystemClock
from bot.config import DealCoachConfig
from bot.db import migrate
from bot.db.session import SessionFactory, make_session_factory
from bot.deps import Deps
from bot.settings import Settings
from bot.slack.work_gate import WorkGate, work_executor
from bot.slack.work_processes import WorkProcesses
from bot.startup import built, database_engine

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from bot.crm.interface import Crm
    from bot.scheduler.jobs import Sweeper

log = logging.getLogger("dealcoach")


@dataclass
class Runtime:
    settings: Settings
    config: DealCoachConfig
    engine: Engine
    session_factory: SessionFactory
    clock: Clock
    #: Set by SIGTERM or SIGINT: stop taking work, finish what is in flight, exit 0.
    stopping: threading.Event = field(default_factory=threading.Event)
    #: Requests in the bot and work after acks (``bot/slack/ack_first.py``).
    gate: WorkGate = field(init=False)
    #: The one pool that runs listeners after they ack, apart from the threads answering Slack.
    work: ThreadPoolExecutor | None = None
    #: With ``WORK_PROCESSES``: the worker processes the work after each ack is handed to.
    work_processes: WorkProcesses | None = None

    def __post_init__(self) -> None:
        workers = self.settings.work_processes or self.settings.work_threads
        self.gate = WorkGate(workers=workers, waiting=self.settings.work_queue)

    @classmethod
    def start(
        cls, settings: Settings, config: DealCoachConfig, clock: Clock | None = None
    ) -> Runtime:
        """Connect and refuse to go on if the schema is behind the code."""
        engine = database_engine(
            settings.database_url, timeout_seconds=settings.database_connect_timeout_seconds
        )
        try:
            migrate.require_current(engine, settings.database_url)
        except migrate.SchemaBehind:
            engine.dispose()
            raise
        return cls(settings, config, engine, make_session_factory(engine), clock or SystemClock())

    def client(self) -> WebClient:
        return make_client(self.settings)

    def app(self, *, socket_mode: bool = False, forwarded: bool = False) -> App:
        """The Bolt app; ``forwarded`` for a worker process's (``bot/slack/work_processes``)."""
        if self.work is None:
            self.work = work_executor(self.gate)
        if self.settings.work_processes and not forwarded and self.work_processes is None:
            self.work_processes = WorkProcesses(self.settings, self.settings.work_processes)
        return create_app(
            self.settings,
            self.session_factory,
            self.client(),
            config=self.config,
            clock=self.clock,
            socket_mode=socket_mode,
            listener_executor=self.work,
            gate=self.gate,
            crm=self._crm(),
            forward=self.work_processes.forward if self.work_processes else None,
            forwarded=forwarded,
        )

    def _crm(self) -> Crm | None:
        from bot.crm.factory import connect

        return connect(self.settings, self.config.crm)

    def sweeper(self) -> Sweeper:
        from bot.scheduler.timed import TimedSweeper

        deps = Deps(config=self.config, session_factory=self.session_factory, clock=self.clock)
        return TimedSweeper(deps, self.client_for())

    def client_for(self) -> Callable[[str], WebClient]:
        return clients_for(self.settings, self.session_factory)

    def serve(self, *, host: str | None, port: int | None, scheduler: bool) -> None:
        from bot.http_server import HttpServer
        from bot.web import wsgi_app

        server = HttpServer(
            wsgi_app(self.app(), self.engine, signing_secret=self.settings.signing_secret),
            host=host or self.settings.host,
            port=port or self.settings.port,
        )
        with self._until_signalled():
            background = _SweepBesideServer(self) if scheduler else None
            if self.work_processes is not None:
                self.work_processes.warm_up()
            built()
            log.info(
                "serving Slack requests",
                extra={
                    "url": f"http://{host or self.settings.host}:{server.port}/slack/events",
                    "scheduler": scheduler,
                    "work_processes": self.settings.work_processes,
                },
            )
            try:
                server.serve(self.stopping, grace_seconds=self.settings.shutdown_grace_seconds)
            finally:
                self._shut_down(background)
            if background is not None and background.failure is not None:
                raise background.failure

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
        if self.work_processes is not None:
            self.work_processes.warm_up()
        built()
        log.info(
            "connecting over Socket Mode",
            extra={"scheduler": scheduler, "work_processes": self.settings.work_processes},
        )
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
            _shut_down_in_turn((self.work, self.work_processes))  # acked: let it finish
            self.engine.dispose()

    def worker(self) -> None:
        with self._until_signalled():
            if self.settings.metrics_port is not None:
                from bot.metrics import serve_metrics

                serve_metrics(self.engine, port=self.settings.metrics_port)
            background = self._background_scheduler()
            built()
            log.info(
                "worker sweeping due nudges",
                extra={"every_seconds": self.settings.sweep_interval_seconds},
            )
            try:
                self.stopping.wait()
            finally:
                self._shut_down(background)

    @contextmanager
    def _until_signalled(self) -> Iterator[None]:
        """SIGTERM (docker stop, a rollout) and SIGINT (Ctrl-C) ask for a clean stop."""

        def stop(signum: int, _frame: FrameType | None) -> None:
            if not self.stopping.is_set():
                log.info("stopping", extra={"signal": signal.Signals(signum).name})
            self.stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _shut_down(self, background: BaseScheduler | _SweepBesideServer | None) -> None:
        """Let the work already answered and the sweep's current send finish, all within
        one grace period, then let go of the database."""
        grace = self.settings.shutdown_grace_seconds
        deadline = time.monotonic() + grace
        waiters = []
        # the sweep finishes its current send while listeners already acked finish their
        # work: here first (they may still hand requests over), then in worker processes
        for pools in ((background,), (self.work, self.work_processes)):
            waiter = threading.Thread(target=_shut_down_in_turn, args=(pools,))
            waiter.start()
            waiters.append(waiter)
        for waiter in waiters:
            waiter.join(timeout=max(0.0, deadline - time.monotonic()))
        self.engine.dispose()
        if any(waiter.is_alive() for waiter in waiters):
            log.warning(
                "stopped before the work in hand or the sweep's send had finished",
                extra={"grace_seconds": grace},
            )
            logging.shutdown()
            os._exit(0)  # their threads would otherwise hold the process open
        log.info("stopped cleanly")

    def _background_scheduler(self) -> BaseScheduler:
        from bot.scheduler import build_scheduler

        scheduler = build_scheduler(
            self.sweeper(), interval_seconds=self.settings.sweep_interval_seconds, blocking=False
        )
        self._add_crm_job(scheduler)
        scheduler.start()
        return scheduler

    def _add_crm_job(self, scheduler: BaseScheduler) -> None:
        from bot.scheduler import add_crm_job
        from bot.scheduler.crm_jobs import CrmJobs

        crm = self._crm()
        if crm is None:
            return
        deps = Deps(config=self.config, session_factory=self.session_factory, clock=self.clock)
        jobs = CrmJobs(deps, crm, self.client_for())
        add_crm_job(scheduler, jobs, interval_seconds=self.settings.sweep_interval_seconds)


class _SweepBesideServer:
    """The background scheduler of `serve`, built and started from its own thread once
    the server listens, so its imports do not hold back the first request. If it cannot
    start, the server stops and `serve` raises what went wrong."""

    def __init__(self, runtime: Runtime) -> None:
        self.scheduler: BaseScheduler | None = None
        self.failure: Exception | None = None
        self._runtime = runtime
        self._thread = threading.Thread(target=self._start, name="sweep-start", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            self.scheduler = self._runtime._background_scheduler()
        except Exception as exc:  # re-raised by `serve` once the server has stopped
            self.failure = exc
            self._runtime.stopping.set()

    def shutdown(self, wait: bool = True) -> None:
        self._thread.join()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=wait)


def _shut_down_in_turn(
    pools: tuple[BaseScheduler | _SweepBesideServer | Executor | WorkProcesses | None, ...],
) -> None:
    for pool in pools:
        if pool is not None:
            pool.shutdown(wait=True)
