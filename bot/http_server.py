"""waitress, run so that a stop request drains instead of pulling sockets away.

``waitress.serve`` closes its sockets from wherever ``close()`` is called, which in a
signal handler lands in the middle of ``select`` (``OSError: [Errno 9] Bad file
descriptor``). Here the loop runs in short turns and checks a flag; once it is set the
listening socket closes (no new connections), requests already received or still
arriving are answered and flushed, and only then the worker threads stop, all within
a bounded grace period.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger("dealcoach.http")

#: How long one turn of the loop may wait in ``select`` before the stop flag is checked.
TURN_SECONDS = 0.1


class HttpServer:
    def __init__(
        self, application: WSGIApplication, *, host: str, port: int, threads: int = 8
    ) -> None:
        self._server: Any = create_server(application, host=host, port=port, threads=threads)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def serve(self, stopping: threading.Event, *, grace_seconds: float) -> bool:
        """Serve until ``stopping`` is set, then drain; ``True`` if nothing was cut off."""
        channels = self._server._map
        while not stopping.is_set():
            wasyncore.loop(timeout=TURN_SECONDS, map=channels, count=1)
        wasyncore.dispatcher.close(self._server)  # the listening socket only
        deadline = time.monotonic() + grace_seconds
        while self._busy() and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=channels, count=1)
        drained = not self._busy()
        if not drained:
            log.warning("requests still in flight when the grace period ended")
        self._server.task_dispatcher.shutdown(timeout=max(0.0, deadline - time.monotonic()))
        wasyncore.close_all(channels)
        return drained

    def _busy(self) -> bool:
        dispatcher = self._server.task_dispatcher
        if dispatcher.queue or dispatcher.active_count:
            return True
        return any(
            channel.request is not None or channel.requests or channel.total_outbufs_len
            for channel in list(self._server._map.values())
            if isinstance(channel, HTTPChannel) and not channel.will_close
        )
