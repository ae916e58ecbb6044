"""Time is injected, never read from the wall inside services or tests."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class AdjustableClock:
    """The system clock plus an offset that can be moved forward (tests, the local shell).

    With ``ticking=False`` it stands still between moves, so a scripted run (the demo's
    transcript) reads the same minutes every time.
    """

    def __init__(self, start: datetime | None = None, *, ticking: bool = True) -> None:
        self._lock = threading.Lock()
        self._ticking = ticking
        self._still = start or datetime.now(UTC)
        self._offset = timedelta(0) if start is None else start - datetime.now(UTC)

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset if self._ticking else self._still

    def advance(self, by: timedelta) -> None:
        with self._lock:
            self._offset += by
            self._still += by
