"""The HTTP front: Slack's requests at /slack/events, a health check at /healthz."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("dealcoach.web")


def wsgi_app(app: App, engine: Engine) -> WSGIApplication:
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
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
