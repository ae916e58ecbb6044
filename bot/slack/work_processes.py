"""Work after the ack in worker processes of its own (``WORK_PROCESSES``).

In one process, the threads that answer Slack share one interpreter lock with the threads
doing earlier requests' work, so under load an ack waits for a turn at the CPU behind
SQLAlchemy and Block Kit, and all the work shares one core. With ``WORK_PROCESSES`` set,
``dealcoach serve`` answers Slack in its own process and hands each answered request, as
Slack sent it, to a pool of worker processes (``ack_first``'s ``forward``). Each worker
has the whole app: it dispatches the request again, its listener runs from the start with
an ``ack()`` that answers nobody (Slack has its answer already), records the replay key
(``after_ack``) and does the work. The signature was checked by the serve process, and the
request reaches the worker only through the pool's pipe, so the worker does not check it
again (a request queued for a while would otherwise be "stale").

What a listener does before its ack therefore runs twice (once per process): it must be
safe to repeat, as ``ack_first`` already asks.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from concurrent.futures import BrokenExecutor, Future
from types import FrameType
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener import Listener
from slack_bolt.listener.thread_runner import ThreadListenerRunner

from bot.slack.ack_first import AfterAck, kept_from, run_past_ack

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bot.settings import Settings

log = logging.getLogger("dealcoach.work")

#: How much lower a worker's CPU priority is than the serve process's: when both want the
#: CPU, Slack's answer goes first and the work after it waits a moment.
NICER = 5

#: Worker processes that die within this long of their start are not started again at
#: once (a database down, say): until then serve does the work itself.
RESTART_AFTER_SECONDS = 10.0

_app: App | None = None
_working, _stopping = threading.Event(), threading.Event()


class WorkProcesses:
    """The pool of worker processes, started with the serve process and stopped with it."""

    def __init__(self, settings: Settings, count: int) -> None:
        self.count = count
        self._settings = settings
        self._lock = threading.Lock()
        self._pool = self._spawn()
        self._restarted_at = -RESTART_AFTER_SECONDS  # the first death restarts them at once

    def _spawn(self) -> Executor:
        import multiprocessing  # only when asked for: nothing of it at a plain start-up
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.count,
            mp_context=multiprocessing.get_context("spawn"),  # no threads or sockets copied
            initializer=_start,
            initargs=(self._settings,),
        )

    def warm_up(self) -> None:
        """Start every worker now, so the first requests do not wait for their imports."""
        for _ in range(self.count):
            self._pool.submit(_ready)

    def forward(self, request: BoltRequest) -> Future[None]:
        headers = {name: list(values) for name, values in request.headers.items()}
        # over HTTP, the body as Slack sent it; a Socket Mode envelope's payload as JSON
        body = json.dumps(request.body) if request.mode == "socket_mode" else request.raw_body
        sent = (body, headers, request.mode)
        with self._lock:
            pool = self._pool
        try:
            return pool.submit(_run, *sent)
        except BrokenExecutor:  # a worker died (killed, out of memory): start afresh
            with self._lock:
                if self._pool is pool:
                    if time.monotonic() - self._restarted_at < RESTART_AFTER_SECONDS:
                        raise  # they die as they start: serve does the work meanwhile
                    log.error(
                        "a worker process died; starting the worker processes again",
                        extra={"work_processes": self.count},
                    )
                    self._pool, self._restarted_at = self._spawn(), time.monotonic()
                    self.warm_up()
                pool = self._pool
            return pool.submit(_run, *sent)

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            pool = self._pool
        pool.shutdown(wait=wait)


def _start(settings: Settings) -> None:
    """A worker process's start: logging, its own engine and app (no server, no sweep)."""
    global _app
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: serve stops its workers itself
    signal.signal(signal.SIGTERM, _on_sigterm)
    os.nice(NICER)
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), name="orphan-check", daemon=True).start()
    from bot import logs
    from bot.config import load_config
    from bot.runtime import Runtime

    logs.configure(settings.log_level, settings.log_format)
    runtime = Runtime.start(settings, load_config(settings.dealcoach_config_dir))
    _app = runtime.app(forwarded=True)
    log.info("worker process ready", extra={"pid": os.getpid()})


def _exit_with(parent: int) -> None:
    """A serve process killed outright (SIGKILL, out of memory) cannot stop its workers:
    they notice it is gone within a second and exit instead of lingering."""
    while os.getppid() == parent:
        time.sleep(1.0)
    log.warning("the serve process is gone; this worker process exits", extra={"pid": os.getpid()})
    os._exit(0)


def _on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    """SIGTERM (the pool replacing a dead worker, or a supervisor stopping every process of
    the service): exit now when idle, else once the request in hand is done."""
    if not _working.is_set():
        os._exit(0)
    _stopping.set()


def _ready() -> None:
    pass


def _run(body: str, headers: dict[str, list[str]], mode: str = "http") -> None:
    assert _app is not None, "the worker process did not start"
    _working.set()
    try:
        payload = json.loads(body) if mode == "socket_mode" else body
        _app.dispatch(BoltRequest(body=payload, headers=dict(headers), mode=mode))
    finally:
        _working.clear()
        if _stopping.is_set():  # a moment for the pool to hear this request is done
            threading.Timer(0.2, os._exit, args=(0,)).start()


class ForwardedRunner(ThreadListenerRunner):
    """In a worker process: a request a serve process has answered runs its listener to
    the end on this thread; ``ack()`` answers nobody, and the work after it goes on when
    ``after_ack`` says so."""

    def __init__(self, base: ThreadListenerRunner, after_ack: AfterAck | None = None) -> None:
        super().__init__(process_before_response=True, **kept_from(base))
        self.after_ack = after_ack

    def run(
        self,
        request: BoltRequest,
        response: BoltResponse,
        listener_name: str,
        listener: Listener,
        starting_time: float | None = None,
    ) -> BoltResponse | None:
        ack = run_past_ack(self, request, response, listener, self.after_ack)
        return ack.response or BoltResponse(status=200, body="")


def install_forwarded(app: App, after_ack: AfterAck | None = None) -> None:
    """Put :class:`ForwardedRunner` in place of Bolt's runner (in a worker process)."""
    base = app.listener_runner
    assert isinstance(base, ThreadListenerRunner)
    app._listener_runner = ForwardedRunner(base, after_ack)
