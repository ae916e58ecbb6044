"""The HTTP front: Slack's requests at /slack/events; /healthz (the process answers),
/readyz (the database answers and its schema is at head) and /metrics (Prometheus)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

from bot import metrics
from bot.db import migrate
from bot.web_guard import guard

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("dealcoach.web")


def wsgi_app(app: App, engine: Engine, *, signing_secret: str) -> WSGIApplication:
    # The guard goes first: nothing reads a body it has not checked (size, signature, shape).
    slack = guard(
        metrics.instrument(SlackRequestHandler(app, path="/slack/events")),
        signing_secret=signing_secret,
        on_refused=metrics.refused,
    )
    ready = Readiness(engine)
    registry = metrics.registry_for(engine)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/readyz":
            return ready(environ, start_response)
        if environ.get("PATH_INFO") == "/metrics":
            payload = metrics.render(registry)
            start_response(
                "200 OK",
                [("Content-Type", metrics.CONTENT_TYPE), ("Content-Length", str(len(payload)))],
            )
            return [payload]
        if environ.get("PATH_INFO") == "/healthz":
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                status, body = "200 OK", {"status": "ok"}
            except Exception as exc:  # a health check reports; it never raises
                log.warning(
                    "health check failed: the database does not answer", extra={"error": str(exc)}
                )
                status, body = "503 Service Unavailable", {"status": "database unavailable"}
            payload = json.dumps(body).encode()
            start_response(
                status,
                [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
            )
            return [payload]
        return slack(environ, start_response)

    return application


class Readiness:
    """Ready to take traffic: the database answers and its schema is at the code's head.

    A load balancer sends requests only to ready replicas; /healthz only says the process
    is alive (a replica waiting for `dealcoach db upgrade` is alive, not ready).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._heads = set(migrate.heads(engine.url.render_as_string(hide_password=False)))

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            have, want = set(migrate.current(self._engine)), self._heads
            if have == want:
                status, body = "200 OK", {"status": "ready", "schema": sorted(have)}
            else:
                status = "503 Service Unavailable"
                body = {"status": "schema behind", "schema": sorted(have), "needs": sorted(want)}
        except Exception as exc:  # a readiness check reports; it never raises
            log.warning("not ready: the database does not answer", extra={"error": str(exc)})
            status, body = "503 Service Unavailable", {"status": "database unavailable"}
        payload = json.dumps(body).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]


class BackgroundServer:
    """Serve a WSGI app from a thread on loopback and stop it cleanly (tests, the shell).

    ``serve`` uses waitress's own blocking loop; this one polls a stop flag between
    turns so closing never pulls a socket out from under a running ``select``.
    """

    def __init__(self, application: WSGIApplication, *, host: str = "127.0.0.1") -> None:
        from waitress.server import create_server

        self._server = create_server(application, host=host, port=0, threads=4)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="dealcoach-http", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.effective_port}"  # type: ignore[union-attr]

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def _loop(self) -> None:
        from waitress import wasyncore

        channels = self._server._map  # type: ignore[union-attr]
        while not self._stopping.is_set():
            wasyncore.loop(timeout=0.05, map=channels, count=1)

    def stop(self) -> None:
        from waitress import wasyncore

        self._stopping.set()
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._server._map)  # type: ignore[union-attr]
