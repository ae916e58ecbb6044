"""Slack's Socket Mode, played on a local WebSocket server.

An app calls ``apps.connections.open`` with its app-level token and gets a one-use URL;
when it connects, the server says ``hello`` and from then on sends it envelopes instead
of HTTP requests: ``slash_commands``, ``interactive`` and ``events_api``. The app answers
each one with ``{"envelope_id": …}`` (plus a ``payload`` where the envelope accepts one)
within three seconds. ``disconnect`` asks the app to open a new connection.

What the server checks (a failure goes to the stand-in's violations): every envelope is
acknowledged once, in time, with its own id, and a payload only where one is taken and
shaped as Slack reads it. Each envelope goes to one connection at a time, never to two.

When a connection closes before an envelope's ack, an ``events_api`` envelope is sent
again on the next connection (``retry_attempt`` counts how often), as Slack retries
events; a slash command or an interaction is not (Slack shows the person an error
instead): it comes back unacknowledged with ``lost`` set. With no connection up, any
envelope waits for the next one, as if the person tried again once the app was back.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from bot.standin.envelopes import (
    ACK_SECONDS,
    DISCONNECT_REASONS,
    ENVELOPE_TYPES,
    Envelope,
    JsonDict,
    answer_problem,
)

_numbers = itertools.count(1)


@dataclass(eq=False)
class _Link:
    """One open WebSocket connection from the app."""

    id: str
    ws: ServerConnection
    ready: bool = False
    retiring: bool = False
    in_flight: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, message: JsonDict) -> None:
        with self.lock:
            self.ws.send(json.dumps(message))


class SocketModeServer:
    """The WebSocket side of the stand-in; :class:`~bot.standin.SlackStandIn` owns one."""

    def __init__(
        self,
        *,
        app_id: str,
        report: Callable[[str], None],
        host: str = "127.0.0.1",
        ack_timeout: float = ACK_SECONDS,
        connect_timeout: float = 15.0,
        ping_interval: float = 0.25,
    ) -> None:
        self.app_id = app_id
        self.host = host
        self.ack_timeout = ack_timeout
        self.connect_timeout = connect_timeout
        #: Slack pings its end of the socket too; often here, so a client blocked in a
        #: read wakes up soon (Bolt's built-in client closes only between reads).
        self.ping_interval = ping_interval
        self._report = report
        self._changed = threading.Condition()
        self._tickets: set[str] = set()
        self._links: dict[str, _Link] = {}
        self._envelopes: dict[str, Envelope] = {}
        self._connections_made = 0
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> SocketModeServer:
        with self._changed:
            if self._server is None:
                self._server = serve(
                    self._serve_link,
                    self.host,
                    0,
                    process_request=self._check_ticket,
                    compression=None,
                    ping_interval=self.ping_interval,
                    ping_timeout=None,
                    close_timeout=1,
                )
                self._thread = threading.Thread(
                    target=self._server.serve_forever, name="slack-socket-mode", daemon=True
                )
                self._thread.start()
        return self

    def stop(self) -> None:
        with self._changed:
            server, thread = self._server, self._thread
            self._server, self._thread = None, None
        if server is not None:
            self.drop()
            server.shutdown()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._server is not None

    def new_url(self) -> str:
        """A fresh one-use WebSocket URL, as ``apps.connections.open`` hands out."""
        self.start()
        assert self._server is not None
        port = self._server.socket.getsockname()[1]
        ticket = uuid.uuid4().hex
        with self._changed:
            self._tickets.add(ticket)
        return f"ws://{self.host}:{port}/link/?ticket={ticket}&app_id={self.app_id}"

    # ---- what the people and the tests do --------------------------------------------

    def deliver(self, kind: str, payload: JsonDict, *, accepts_response_payload: bool) -> Envelope:
        """Send one envelope and wait for its acknowledgement (at most ``ack_timeout``).

        Waits up to ``connect_timeout`` for a connection when none is up, and sends
        again on the next connection when the one it went out on closes before the ack.
        """
        if kind not in ENVELOPE_TYPES:
            raise ValueError(f"{kind!r} is not one of {sorted(ENVELOPE_TYPES)}")
        envelope = Envelope(str(uuid.uuid4()), kind, payload, accepts_response_payload)
        with self._changed:
            self._envelopes[envelope.envelope_id] = envelope
        while True:
            link = self._take_link(envelope)
            try:
                link.send(envelope.frame())
            except (ConnectionClosed, OSError):
                self._lose(link)
            if self._settled(envelope):
                return envelope

    def _settled(self, envelope: Envelope) -> bool:
        """Wait for the ack; False when the connection was lost first and the envelope
        is an event (send it again)."""
        deadline = envelope._sent_at + self.ack_timeout

        def answered() -> bool:
            return envelope.acked or envelope.lost or time.monotonic() >= deadline

        with self._changed:
            self._changed.wait_for(answered, timeout=max(0.0, deadline - time.monotonic()))
            if envelope.acked or (envelope.lost and envelope.type != "events_api"):
                return True
            if envelope.lost:
                envelope.lost = False
                envelope.retry_attempt += 1
                envelope.retry_reason = "timeout"
                return False
        self._report(  # outside the lock: the report takes the stand-in's own
            f"socket mode: {envelope.type} envelope {envelope.envelope_id} was not "
            f"acknowledged within {self.ack_timeout:g}s"
        )
        return True

    def disconnect(self, reason: str = "refresh_requested", *, close_after: float = 1.0) -> int:
        """Tell every open connection to go away; close those still open ``close_after``
        seconds later. Returns how many were told."""
        if reason not in DISCONNECT_REASONS:
            raise ValueError(f"{reason!r} is not one of {sorted(DISCONNECT_REASONS)}")
        with self._changed:
            links = [link for link in self._links.values() if not link.retiring]
            for link in links:
                link.retiring = True
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "standin"}}
        for link in links:
            try:
                link.send(message)
            except ConnectionClosed:
                continue
            timer = threading.Timer(close_after, self._close_link, args=(link,))
            timer.daemon = True
            timer.start()
        return len(links)

    def drop(self) -> int:
        """Cut every connection without a goodbye, as a network failure would."""
        with self._changed:
            links = list(self._links.values())
            for link in links:
                link.retiring = True  # nothing new goes out on a cut line
        for link in links:
            try:
                link.ws.socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                continue
        return len(links)

    def wait_connected(self, count: int = 1, timeout: float = 10.0) -> None:
        """Block until ``count`` connections were made in all (each said hello)."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._connections_made >= count, timeout):
                raise TimeoutError(
                    f"{self._connections_made} Socket Mode connection(s) after {timeout}s, "
                    f"wanted {count}"
                )

    def wait_disconnected(self, timeout: float = 10.0) -> None:
        """Block until no connection is open."""
        with self._changed:
            if not self._changed.wait_for(lambda: not self._links, timeout):
                raise TimeoutError(f"a Socket Mode connection is still open after {timeout}s")

    def forget(self) -> None:
        """Forget the envelopes sent so far (connections stay)."""
        with self._changed:
            self._envelopes = {k: e for k, e in self._envelopes.items() if not (e.acked or e.lost)}

    @property
    def connections_made(self) -> int:
        with self._changed:
            return self._connections_made

    @property
    def open_connections(self) -> int:
        with self._changed:
            return len(self._links)

    @property
    def envelopes(self) -> list[Envelope]:
        with self._changed:
            return list(self._envelopes.values())

    # ---- the server side -------------------------------------------------------------

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        query = parse_qs(urlsplit(request.path).query)
        ticket = (query.get("ticket") or [""])[0]
        with self._changed:
            if ticket in self._tickets:
                self._tickets.discard(ticket)  # a URL is good for one connection
                return None
        return connection.respond(401, "unknown or used ticket: call apps.connections.open\n")

    def _serve_link(self, ws: ServerConnection) -> None:
        link = _Link(f"link-{next(_numbers)}", ws)
        with self._changed:
            self._links[link.id] = link
            open_now = len(self._links)
        link.send(
            {
                "type": "hello",
                "num_connections": open_now,
                "debug_info": {
                    "host": "standin",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )
        with self._changed:
            link.ready = True
            self._connections_made += 1
            self._changed.notify_all()
        try:
            for raw in ws:
                self._on_answer(raw)
        except ConnectionClosed:
            pass
        finally:
            self._lose(link)

    def _close_link(self, link: _Link) -> None:
        link.ws.close()

    def _lose(self, link: _Link) -> None:
        """The connection closed: what it had not acknowledged goes out again."""
        with self._changed:
            self._links.pop(link.id, None)
            for envelope_id in link.in_flight:
                envelope = self._envelopes[envelope_id]
                if not envelope.acked:
                    envelope.lost = True
            link.in_flight.clear()
            self._changed.notify_all()

    def _take_link(self, envelope: Envelope) -> _Link:
        """The newest usable connection, once there is one; marks the envelope as sent."""
        deadline = time.monotonic() + self.connect_timeout
        with self._changed:
            while True:
                usable = [k for k in self._links.values() if k.ready and not k.retiring]
                if usable:
                    link = usable[-1]
                    link.in_flight.add(envelope.envelope_id)
                    envelope.sent_on.append(link.id)
                    envelope._sent_at = time.monotonic()
                    return link
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"no Socket Mode connection within {self.connect_timeout:g}s "
                        f"to send the {envelope.type} envelope"
                    )
                self._changed.wait(timeout=left)

    def _on_answer(self, raw: str | bytes) -> None:
        try:
            answer = json.loads(raw)
        except ValueError:
            self._report(f"socket mode: the app sent something that is not JSON: {raw[:80]!r}")
            return
        if not isinstance(answer, dict) or not isinstance(answer.get("envelope_id"), str):
            self._report(f"socket mode: an answer without an envelope_id: {str(answer)[:80]}")
            return
        with self._changed:
            envelope = self._envelopes.get(answer["envelope_id"])
            if envelope is None:
                problem: str | None = f"an ack for envelope {answer['envelope_id']} never sent"
            else:
                problem = answer_problem(envelope, answer)
                envelope.acks += 1
                if envelope.acks == 1:
                    payload = answer.get("payload")
                    envelope.ack_payload = payload if isinstance(payload, dict) else None
                    envelope.acked_after = time.monotonic() - envelope._sent_at
                else:
                    problem = f"{envelope.type} envelope {envelope.envelope_id} acknowledged twice"
            self._changed.notify_all()
        if problem is not None:
            self._report(f"socket mode: {problem}")
