"""How many requests may be in the bot at once, and how many may work at once."""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

#: Work after ack that runs at once, and acked requests that may wait for a slot.
DEFAULT_WORKERS = 4
DEFAULT_WAITING = 60


class FairSlots:
    """At most ``count`` holders at once; those waiting get a slot in the order they asked
    (a released slot passes straight to the longest waiting, so a newcomer cannot barge
    in, as it can with ``threading.Semaphore``, and no handoff's card waits behind ever
    newer ones)."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()

    def acquire(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


class WorkGate:
    """How many requests may be in the bot at once, and how many may work at once."""

    def __init__(self, *, workers: int = DEFAULT_WORKERS, waiting: int = DEFAULT_WAITING) -> None:
        self.workers = workers
        self.capacity = workers + waiting
        self._lock = threading.Lock()
        self._admitted = 0
        self._slots = FairSlots(workers)

    def admit(self) -> bool:
        with self._lock:
            if self._admitted >= self.capacity:
                return False
            self._admitted += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._admitted -= 1

    @property
    def admitted(self) -> int:
        return self._admitted

    def take_slot(self) -> None:
        self._slots.acquire()

    def give_slot(self) -> None:
        self._slots.release()


def work_executor(gate: WorkGate) -> ThreadPoolExecutor:
    """The runtime's one pool for listeners: a thread for every request the gate admits."""
    return ThreadPoolExecutor(max_workers=gate.capacity, thread_name_prefix="work")
