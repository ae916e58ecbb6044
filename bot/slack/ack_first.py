"""Acks that never wait: Slack's answer goes out the moment a listener acks.

Bolt's default runner starts a listener on its pool and then polls every 10 ms for the
ack, so an ack waits both for the polling step and, under load, for a free thread behind
earlier requests' work. Here (:class:`AckFirstRunner`):

- a request is admitted only while the :class:`WorkGate` has room (``workers`` doing
  work after their ack plus ``waiting`` acked and queued); every admitted listener starts
  at once on its own thread of the runtime's executor, so its ack is never queued;
- the request's thread waits on an event set by ``ack()`` (no polling) and answers Slack;
- after its ack, a listener waits for one of ``workers`` slots before it goes on, so at
  most ``workers`` requests' work compete with the threads that answer Slack;
- only then, on the listener's thread, the ``after_ack`` check runs (the replay guard:
  a database write, which on SQLite would otherwise wait for the write lock of earlier
  requests' work before Slack got its answer); when it says no, the listener stops there
  (:class:`StopAfterAck`), so what a listener does before its ack must be safe to repeat
  (reads, checks, an upsert of the acting person);
- when the gate is full, a slash command is answered at once with :data:`BUSY` (and a
  modal submission with a small pushed modal saying the same), and no listener runs, so
  nothing is half-written;
- with ``forward`` set (``WORK_PROCESSES``, ``bot/slack/work_processes.py``), the listener
  stops at its ack instead of going on, and the request is handed whole to a worker
  process, which runs the listener again from the start with an ``ack()`` that answers
  nobody (``work_processes.ForwardedRunner``) and goes on past it there: the work then has its own
  interpreter lock and CPU share, and this process only answers Slack.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.listener import Listener
from slack_bolt.listener.thread_runner import ThreadListenerRunner

log = logging.getLogger("dealcoach.ack")

BUSY = "I'm busy with a lot of requests right now, so I saved nothing. Try again in a minute."

#: Asked on the listener's thread right after its ack: may its work go on?
AfterAck = Callable[[BoltRequest], bool]

#: Hands an acked request to a worker process; the future ends when its work there has.
Forward = Callable[[BoltRequest], "Future[None]"]

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


class BusyLog:
    """One warning for a busy spell, then one a minute with how many were turned away
    (under a flood, a line per request would be thousands a minute)."""

    EVERY_SECONDS = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = -self.EVERY_SECONDS
        self._count = 0

    def note(self, kind: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._count += 1
            if now - self._last < self.EVERY_SECONDS:
                return
            count, self._count, self._last = self._count, 0, now
        log.warning(
            "busy: requests answered 'try again in a minute' without running; raise "
            "WORK_PROCESSES or WORK_THREADS if this keeps happening",
            extra={"turned_away": count, "latest_kind": kind},
        )


class StopAfterAck(BaseException):
    """Raised from ``ack()`` when ``after_ack`` says the work must not go on. A
    ``BaseException``, so a listener's own ``except Exception`` does not swallow it; any
    transaction open around the ack rolls back."""


class _HandOver(BaseException):
    """Raised from ``ack()`` when the work after it belongs to a worker process."""


class GoingOnAck(Ack):
    """``ack()`` that sets the answer, then, once, asks ``after_ack`` whether the work may
    go on (on the listener's thread, after :meth:`_before_work`)."""

    def __init__(self, request: BoltRequest, after_ack: AfterAck | None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._request = request
        self._after_ack = after_ack
        self._went_on = False

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = self.answer(*args, **kwargs)
        self.go_on()
        return response

    def answer(self, *args: Any, **kwargs: Any) -> BoltResponse:
        return super().__call__(*args, **kwargs)

    def go_on(self) -> None:
        if self._went_on:
            return
        self._went_on = True
        self._before_work()
        if self._after_ack is not None and not self._after_ack(self._request):
            raise StopAfterAck

    def _before_work(self) -> None:
        pass


class _SignallingAck(GoingOnAck):
    """``ack()`` that wakes the request's thread, then takes a work slot (or hands the
    request to a worker process) before its work goes on."""

    def __init__(
        self,
        gate: WorkGate,
        request: BoltRequest,
        after_ack: AfterAck | None,
        forwarding: bool = False,
    ) -> None:
        super().__init__(request, after_ack)
        self.answered = threading.Event()
        self.holds_slot = False
        self._gate = gate
        self._forwarding = forwarding

    def answer(self, *args: Any, **kwargs: Any) -> BoltResponse:
        """Set Slack's answer and release the request's thread with it."""
        response = super().answer(*args, **kwargs)
        self.answered.set()
        return response

    def _before_work(self) -> None:
        if self._forwarding:
            raise _HandOver
        self._gate.take_slot()
        self.holds_slot = True


class AckFirstRunner(ThreadListenerRunner):
    """Bolt's thread runner with the ack path above (see the module's docstring)."""

    def __init__(
        self,
        base: ThreadListenerRunner,
        gate: WorkGate,
        after_ack: AfterAck | None = None,
        forward: Forward | None = None,
    ) -> None:
        super().__init__(
            logger=base.logger,
            process_before_response=False,
            listener_error_handler=base.listener_error_handler,
            listener_start_handler=base.listener_start_handler,
            listener_completion_handler=base.listener_completion_handler,
            listener_executor=base.listener_executor,
            lazy_listener_runner=base.lazy_listener_runner,
        )
        self.gate = gate
        self.after_ack = after_ack
        self.forward = forward
        self._busy = BusyLog()

    def run(
        self,
        request: BoltRequest,
        response: BoltResponse,
        listener_name: str,
        listener: Listener,
        starting_time: float | None = None,
    ) -> BoltResponse | None:
        if request.lazy_only or listener.lazy_functions:
            return super().run(request, response, listener_name, listener, starting_time)
        if not self.gate.admit():
            self._busy.note(_kind(request))
            return busy_response(request)
        ack = _SignallingAck(self.gate, request, self.after_ack, self.forward is not None)
        request.context["ack"] = ack
        if listener.auto_acknowledgement:
            ack.answer()  # events are acknowledged at once, as Bolt does
        try:
            self.listener_executor.submit(self._work, request, response, listener, ack)
        except RuntimeError:  # the executor is shutting down
            self.gate.leave()
            return busy_response(request)
        ack.answered.wait(timeout=listener.ack_timeout)
        if ack.response is None:
            log.warning("listener did not ack in time", extra={"listener": listener_name})
        return ack.response

    def _work(
        self, request: BoltRequest, response: BoltResponse, listener: Listener, ack: _SignallingAck
    ) -> None:
        handed_over = False
        try:
            if listener.auto_acknowledgement:
                ack.go_on()
            self.listener_start_handler.handle(request=request, response=response)
            listener.run_ack_function(request=request, response=response)
        except _HandOver:
            handed_over = self._hand_over(request)
        except StopAfterAck:
            pass  # after_ack said why (it logs); the answer is already Slack's
        except Exception as error:  # guarded() handles ours; this is Bolt's own fallback
            failed = BoltResponse(status=500)
            self.listener_error_handler.handle(error=error, request=request, response=failed)
            if ack.response is None:
                ack.response = failed
        finally:
            self.listener_completion_handler.handle(request=request, response=response)
            ack.answered.set()
            if ack.holds_slot:
                self.gate.give_slot()
            if not handed_over:
                self.gate.leave()

    def _hand_over(self, request: BoltRequest, retries: int = 1) -> bool:
        """Queue the request on a worker process; it leaves the gate when its work ends."""
        assert self.forward is not None
        try:
            handed = self.forward(request)
        except Exception:
            log.exception(
                "could not hand an answered request to a worker process; its work is lost",
                extra={"kind": _kind(request)},
            )
            return False
        handed.add_done_callback(functools.partial(self._worked, request, retries))
        return True

    def _worked(self, request: BoltRequest, retries: int, handed: Future[None]) -> None:
        error = handed.exception()
        if isinstance(error, BrokenExecutor) and retries:
            # its worker died: handed over again (the replay guard stops it there if the
            # first try got as far as noting the request)
            log.warning(
                "a worker process died holding an answered request; handing it over again",
                extra={"kind": _kind(request)},
            )
            if self._hand_over(request, retries - 1):
                return
        self.gate.leave()
        if error is not None:
            log.error(
                "a worker process failed an answered request; its work is lost",
                extra={"error": type(error).__name__, "kind": _kind(request)},
            )


def _kind(request: BoltRequest) -> str:
    body = request.body
    return str(body.get("type") or ("slash_command" if "command" in body else "unknown"))


def busy_response(request: BoltRequest) -> BoltResponse:
    """What Slack gets when no listener can take the request now."""
    kind = _kind(request)
    if kind == "slash_command":
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": BUSY})
    if kind == "view_submission":  # pushed on top: closing it brings the filled form back
        return BoltResponse(
            status=200,
            body={
                "response_action": "push",
                "view": {
                    "type": "modal",
                    "title": {"type": "plain_text", "text": "One moment"},
                    "close": {"type": "plain_text", "text": "Back to the form"},
                    "blocks": [
                        {
                            "type": "section",
                            "text": {
                                "type": "mrkdwn",
                                "text": "I'm busy with a lot of requests right now, so I "
                                "saved nothing. Go back to the form and submit it again "
                                "in a minute.",
                            },
                        }
                    ],
                },
            },
        )
    return BoltResponse(status=200, body="")


def install(
    app: App, gate: WorkGate, after_ack: AfterAck | None = None, forward: Forward | None = None
) -> None:
    """Put :class:`AckFirstRunner` in place of Bolt's runner (Bolt keeps it in a private
    attribute; ``tests/slack/test_ack_first.py`` fails if that changes)."""
    base = app.listener_runner
    assert isinstance(base, ThreadListenerRunner)
    app._listener_runner = AckFirstRunner(base, gate, after_ack, forward)
