"""The HTTP side of the stand-in: a threading server on a local ephemeral port.

``/api/<method>`` goes to the Web API, ``POST /response/<token>`` to a response URL,
``POST /upload/<token>`` to a file upload URL; the
backend (the :class:`~bot.standin.server.SlackStandIn`) decides the answers.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

from bot.standin.store import JsonDict

#: (HTTP status, headers, body)
Answer = tuple[int, dict[str, str], bytes]


def json_answer(body: JsonDict, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    extra = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return status, extra, json.dumps(body).encode()


class Backend(Protocol):
    host: str

    def answer_api_call(
        self, method: str, *, query: str, body: bytes, content_type: str, authorization: str
    ) -> Answer: ...

    def answer_response_url(self, token: str, body: bytes) -> Answer: ...

    def answer_upload(self, token: str, body: bytes) -> Answer: ...


def read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request's body, as long as its Content-Length says."""
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def write_answer(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
    """Send a backend's (status, headers, body), with its Content-Length."""
    status, headers, payload = answer
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests own the output
        return

    def _answer(self) -> None:
        body = read_body(self)
        url = urlsplit(self.path)
        backend = self.server.backend
        if url.path.startswith("/api/"):
            status, headers, payload = backend.answer_api_call(
                url.path.removeprefix("/api/"),
                query=url.query,
                body=body,
                content_type=self.headers.get("Content-Type") or "",
                authorization=self.headers.get("Authorization") or "",
            )
        elif url.path.startswith("/response/") and self.command == "POST":
            status, headers, payload = backend.answer_response_url(
                url.path.removeprefix("/response/"), body
            )
        elif url.path.startswith("/upload/") and self.command == "POST":
            status, headers, payload = backend.answer_upload(
                url.path.removeprefix("/upload/"), body
            )
        else:
            status, headers, payload = 404, {"Content-Type": "text/plain"}, b"not found"
        write_answer(self, (status, headers, payload))


class LocalServer(ThreadingHTTPServer):
    """Serves ``backend`` on ``backend.host`` and a port the OS picks."""

    daemon_threads = True

    def __init__(self, backend: Backend) -> None:
        super().__init__((backend.host, 0), _Handler)
        self.backend = backend
