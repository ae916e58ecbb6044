"""Handing answered requests to worker processes: the serve side stops at the ack and hands
the request over; the worker side runs the listener to its end with an ack that answers
nobody. (Real worker processes: ``tests/e2e/test_work_processes.py``.)"""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, BoltRequest

from bot.slack import ack_first, work_processes
from bot.slack.work_gate import WorkGate
from tests.slack.test_ack_first import bare_app, command, plain_app


def worker_app(after_ack: ack_first.AfterAck | None = None) -> App:
    app = plain_app()
    work_processes.install_forwarded(app, after_ack)
    return app


def test_the_serve_side_answers_then_hands_the_request_over_without_working() -> None:
    handed: list[BoltRequest] = []
    done: Future[None] = Future()
    worked = threading.Event()

    def forward(request: BoltRequest) -> Future[None]:
        handed.append(request)
        return done

    with ThreadPoolExecutor(4) as pool:
        gate = WorkGate(workers=1, waiting=0)
        app = bare_app(gate, pool, forward=forward)

        @app.command("/go")
        def go(ack: Ack) -> None:
            ack(text="on it")
            worked.set()

        response = app.dispatch(command("first"))
        assert response.status == 200 and response.body == "on it"
        pool.shutdown(wait=True)
        assert not worked.is_set()  # the work is the worker's
        assert [request.body["text"] for request in handed] == ["first"]
        assert gate.admitted == 1  # held until the worker is done with it
        assert "busy" in app.dispatch(command("second")).body
        done.set_result(None)
        assert gate.admitted == 0


def test_a_typeahead_is_answered_here_and_not_handed_over() -> None:
    handed: list[BoltRequest] = []

    def forward(request: BoltRequest) -> Future[None]:
        handed.append(request)
        return Future()

    with ThreadPoolExecutor(4) as pool:
        gate = WorkGate(workers=1, waiting=0)
        app = bare_app(gate, pool, forward=forward)
        acme = {"text": {"type": "plain_text", "text": "Acme"}, "value": "1"}
        app.options("deal")(lambda ack: ack(options=[acme]))
        payload = {
            "type": "block_suggestion",
            "action_id": "deal",
            "block_id": "b",
            "value": "Ac",
            "team": {"id": "T1"},
            "user": {"id": "U1"},
        }
        body = urlencode({"payload": json.dumps(payload)})
        request = BoltRequest(
            body=body, headers={"content-type": ["application/x-www-form-urlencoded"]}
        )
        response = app.dispatch(request)
        pool.shutdown(wait=True)
    assert response.status == 200 and "Acme" in response.body
    assert handed == [] and gate.admitted == 0


def test_a_request_no_worker_process_takes_is_worked_here_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    steps: list[str] = []

    def forward(_request: BoltRequest) -> Future[None]:
        raise BrokenExecutor("the worker processes die as they start")

    with ThreadPoolExecutor(4) as pool:
        gate = WorkGate(workers=1, waiting=0)
        noted = lambda _request: steps.append("noted") is None  # noqa: E731
        app = bare_app(gate, pool, after_ack=noted, forward=forward)

        @app.command("/go")
        def go(ack: Ack) -> None:
            ack(text="on it")
            steps.append("worked")

        with caplog.at_level(logging.ERROR, logger="dealcoach.ack"):
            assert app.dispatch(command()).body == "on it"
            pool.shutdown(wait=True)
    assert steps == ["noted", "worked"]  # once, here, with the replay note first
    assert gate.admitted == 0
    assert "could not hand an answered request to a worker process" in caplog.text


class BrokenPools(work_processes.WorkProcesses):
    """Worker processes that die as they start (their database is down, say)."""

    pools = 0

    def _spawn(self) -> Executor:
        self.pools += 1
        return _Broken()


class _Broken(ThreadPoolExecutor):
    def submit(self, *_args: object, **_kwargs: object) -> Future[object]:  # type: ignore[override]
        raise BrokenExecutor("a child process terminated abruptly")


def test_worker_processes_dying_as_they_start_are_not_restarted_at_every_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    monkeypatch.setattr(work_processes.time, "monotonic", lambda: now[0])
    processes = BrokenPools(settings=None, count=2)  # type: ignore[arg-type]
    assert processes.pools == 1
    for _ in range(5):  # the first death restarts them; within 10 s, no more
        with pytest.raises(BrokenExecutor):
            processes.forward(command())
    assert processes.pools == 2
    now[0] += work_processes.RESTART_AFTER_SECONDS
    with pytest.raises(BrokenExecutor):
        processes.forward(command())
    assert processes.pools == 3


def test_the_worker_side_runs_the_listener_past_its_ack_to_the_end() -> None:
    steps: list[str] = []
    app = worker_app(after_ack=lambda _request: steps.append("after_ack") is None)

    @app.command("/go")
    def go(ack: Ack) -> None:
        steps.append("before")
        ack(text="on it")
        steps.append("work")

    assert app.dispatch(command()).status == 200
    assert steps == ["before", "after_ack", "work"]  # in this thread, at once


def test_the_worker_side_stops_after_the_ack_when_the_replay_guard_says_so() -> None:
    steps: list[str] = []
    app = worker_app(after_ack=lambda _request: False)

    @app.command("/go")
    def go(ack: Ack) -> None:
        ack()
        steps.append("work")

    assert app.dispatch(command()).status == 200
    assert steps == []
