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
    """The system clock plus an offset that can be moved forward (tests, the local shell)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0) if start is None else start - datetime.now(UTC)

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, by: timedelta) -> None:
        with self._lock:
            self._offset += by
