"""The HTTP side of the CRM stand-ins: a threading server on 127.0.0.1 and a free port.

A backend answers ``(method, path, query, headers, body)`` with ``(status, headers, body)``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from bot.standin.httpd import Answer, read_body, write_answer


def json_answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    extra = {"Content-Type": "application/json;charset=utf-8", **(headers or {})}
    return status, extra, json.dumps(body).encode()


class Request:
    """One request as the backend sees it."""

    def __init__(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        url = urlsplit(target)
        self.method = method
        self.path = url.path
        self.query = {key: values for key, values in parse_qs(url.query).items()}
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.body = body

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class CrmBackend(Protocol):
    def answer(self, request: Request) -> Answer: ...


class _Handler(BaseHTTPRequestHandler):
    server: CrmHttpServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests own the output
        return

    def _answer(self) -> None:
        request = Request(self.command, self.path, dict(self.headers.items()), read_body(self))
        write_answer(self, self.server.backend.answer(request))


class CrmHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, backend: CrmBackend, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.backend = backend
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join()
