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
  nobody (``work_processes.ForwardedRunner``) and goes on past it there: the work then
  has its own interpreter lock and CPU share, and this process only answers Slack.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, CancelledError, Future
from typing import Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.listener import Listener
from slack_bolt.listener.thread_runner import ThreadListenerRunner

from bot.slack.busy import BusyLog, busy_response, request_kind
from bot.slack.work_gate import WorkGate

log = logging.getLogger("dealcoach.ack")

#: Asked on the listener's thread right after its ack: may its work go on?
AfterAck = Callable[[BoltRequest], bool]

#: Hands an acked request to a worker process; the future ends when its work there has.
Forward = Callable[[BoltRequest], "Future[None]"]

#: Requests whose answer is all there is to do (a select's typeahead options).
ANSWER_IS_THE_WORK = frozenset({"block_suggestion"})


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


def kept_from(base: ThreadListenerRunner) -> dict[str, Any]:
    """What a runner put in place of Bolt's keeps of Bolt's."""
    return {
        "logger": base.logger,
        "listener_error_handler": base.listener_error_handler,
        "listener_start_handler": base.listener_start_handler,
        "listener_completion_handler": base.listener_completion_handler,
        "listener_executor": base.listener_executor,
        "lazy_listener_runner": base.lazy_listener_runner,
    }


def run_listener(
    runner: ThreadListenerRunner,
    request: BoltRequest,
    response: BoltResponse,
    listener: Listener,
    ack: GoingOnAck,
) -> bool:
    """Run the listener on this thread (an event, acknowledged already, asks to go on
    first); True when it stopped at its ack to be handed to a worker process."""
    try:
        if listener.auto_acknowledgement:
            ack.go_on()
        runner.listener_start_handler.handle(request=request, response=response)
        listener.run_ack_function(request=request, response=response)
    except _HandOver:
        return True
    except StopAfterAck:
        pass  # after_ack said why (it logs); the answer is already Slack's
    except Exception as error:  # guarded() handles ours; this is Bolt's own fallback
        failed = BoltResponse(status=500)
        runner.listener_error_handler.handle(error=error, request=request, response=failed)
        if ack.response is None:
            ack.response = failed
    finally:
        runner.listener_completion_handler.handle(request=request, response=response)
    return False


def run_past_ack(
    runner: ThreadListenerRunner,
    request: BoltRequest,
    response: BoltResponse,
    listener: Listener,
    after_ack: AfterAck | None,
) -> GoingOnAck:
    """Run the listener of a request Slack has its answer for already: its ``ack()``
    answers nobody, and the work after it goes on when ``after_ack`` says so."""
    ack = GoingOnAck(request, after_ack)
    request.context["ack"] = ack
    run_listener(runner, request, response, listener, ack)
    return ack


class AckFirstRunner(ThreadListenerRunner):
    """Bolt's thread runner with the ack path above (see the module's docstring)."""

    def __init__(
        self,
        base: ThreadListenerRunner,
        gate: WorkGate,
        after_ack: AfterAck | None = None,
        forward: Forward | None = None,
    ) -> None:
        super().__init__(process_before_response=False, **kept_from(base))
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
            self._busy.note(request_kind(request))
            return busy_response(request)
        # a typeahead's answer is all its work: it stays here, not run twice for nothing
        forwarding = self.forward is not None and request_kind(request) not in ANSWER_IS_THE_WORK
        ack = _SignallingAck(self.gate, request, self.after_ack, forwarding)
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
            if run_listener(self, request, response, listener, ack):
                handed_over = self._hand_over(request)
                if not handed_over:
                    self._work_here(request, response, listener)
        finally:
            ack.answered.set()
            if ack.holds_slot:
                self.gate.give_slot()
            if not handed_over:
                self.gate.leave()

    def _work_here(self, request: BoltRequest, response: BoltResponse, listener: Listener) -> None:
        """No worker process would take it: the listener runs again here, as a worker's
        would, past its (already answered) ack, in one of the gate's work slots."""
        self.gate.take_slot()
        try:
            run_past_ack(self, request, response, listener, self.after_ack)
        finally:
            self.gate.give_slot()

    def _hand_over(self, request: BoltRequest, retries: int = 1) -> bool:
        """Queue the request on a worker process (it leaves the gate when its work there
        ends); False, logged, when no worker process would take it."""
        assert self.forward is not None
        try:
            handed = self.forward(request)
        except Exception:
            log.exception(
                "could not hand an answered request to a worker process",
                extra={"kind": request_kind(request), "then": "done here" if retries else "lost"},
            )
            return False
        handed.add_done_callback(functools.partial(self._worked, request, retries))
        return True

    def _worked(self, request: BoltRequest, retries: int, handed: Future[None]) -> None:
        error = CancelledError() if handed.cancelled() else handed.exception()
        if isinstance(error, BrokenExecutor) and retries:
            # its worker died: handed over again (the replay guard stops it there if the
            # first try got as far as noting the request)
            log.warning(
                "a worker process died holding an answered request; handing it over again",
                extra={"kind": request_kind(request)},
            )
            if self._hand_over(request, retries - 1):
                return
        self.gate.leave()
        if error is not None:
            log.error(
                "a worker process failed an answered request; its work is lost",
                extra={"error": type(error).__name__, "kind": request_kind(request)},
            )


def install(
    app: App, gate: WorkGate, after_ack: AfterAck | None = None, forward: Forward | None = None
) -> None:
    """Put :class:`AckFirstRunner` in place of Bolt's runner (Bolt keeps it in a private
    attribute; ``tests/slack/test_ack_first.py`` fails if that changes)."""
    base = app.listener_runner
    assert isinstance(base, ThreadListenerRunner)
    app._listener_runner = AckFirstRunner(base, gate, after_ack, forward)
