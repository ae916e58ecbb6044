"""The ack path: Slack's answer leaves when the listener acks, before its work is done."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, BoltRequest
from slack_bolt.authorization import AuthorizeResult

from bot.slack import ack_first, work_gate
from bot.slack import busy as busy_module
from bot.slack.ack_first import AckFirstRunner
from bot.slack.busy import BUSY
from bot.slack.work_gate import WorkGate


def plain_app(**options: Any) -> App:
    """A Bolt app of one workspace that checks no signature, with no runner put in yet."""
    return App(
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id="T1", bot_token="xoxb-unused", bot_user_id="UB", bot_id="B1"
        ),
        signing_secret="unused",
        request_verification_enabled=False,
        token_verification_enabled=False,
        **options,
    )


def bare_app(
    gate: WorkGate,
    pool: ThreadPoolExecutor,
    after_ack: ack_first.AfterAck | None = None,
    forward: ack_first.Forward | None = None,
) -> App:
    app = plain_app(listener_executor=pool)
    ack_first.install(app, gate, after_ack, forward)
    return app


def command(text: str = "go") -> BoltRequest:
    body = urlencode(
        {"command": "/go", "text": text, "team_id": "T1", "user_id": "U1", "channel_id": "D1"}
    )
    return BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})


def test_bolts_runner_is_replaced() -> None:
    with ThreadPoolExecutor(4) as pool:
        app = bare_app(WorkGate(), pool)
        assert isinstance(app.listener_runner, AckFirstRunner)


def test_the_answer_leaves_at_the_ack_while_the_work_goes_on() -> None:
    release, finished = threading.Event(), threading.Event()
    with ThreadPoolExecutor(4) as pool:
        gate = WorkGate(workers=1, waiting=1)
        app = bare_app(gate, pool)

        @app.command("/go")
        def go(ack: Ack) -> None:
            ack(text="on it")
            release.wait(timeout=5)
            finished.set()

        started = time.perf_counter()
        response = app.dispatch(command())
        took = time.perf_counter() - started
        assert response.status == 200 and response.body == "on it"
        assert not finished.is_set() and gate.admitted == 1
        assert took < 1.0  # not the 3 s ack timeout, and not waiting for the work
        release.set()
        assert finished.wait(timeout=5)
    assert gate.admitted == 0


def test_a_full_gate_answers_busy_and_runs_nothing() -> None:
    ran: list[str] = []
    release = threading.Event()
    with ThreadPoolExecutor(4) as pool:
        gate = WorkGate(workers=1, waiting=0)
        app = bare_app(gate, pool)

        @app.command("/go")
        def go(ack: Ack, body: dict[str, str]) -> None:
            ran.append(body["text"])
            ack()
            release.wait(timeout=5)

        assert app.dispatch(command("first")).status == 200
        busy = app.dispatch(command("second"))
        assert busy.status == 200 and BUSY in busy.body
        release.set()
    assert ran == ["first"]


def test_only_workers_work_at_once_after_their_ack() -> None:
    working, most = 0, 0
    lock = threading.Lock()
    with ThreadPoolExecutor(8) as pool:
        gate = WorkGate(workers=2, waiting=6)
        app = bare_app(gate, pool)

        @app.command("/go")
        def go(ack: Ack) -> None:
            nonlocal working, most
            ack()
            with lock:
                working += 1
                most = max(most, working)
            time.sleep(0.05)
            with lock:
                working -= 1

        responses = [app.dispatch(command()) for _ in range(8)]  # all acked, none refused
        assert all(r.status == 200 and r.body == "" for r in responses)
    assert most == 2


def test_after_ack_may_stop_the_work_once_slack_has_its_answer() -> None:
    asked: list[str] = []
    worked = threading.Event()
    with ThreadPoolExecutor(4) as pool:

        def replayed(request: BoltRequest) -> bool:
            asked.append(request.body["text"])
            return False

        gate = WorkGate(workers=1, waiting=1)
        app = bare_app(gate, pool, after_ack=replayed)

        @app.command("/go")
        def go(ack: Ack) -> None:
            ack(text="on it")
            worked.set()

        response = app.dispatch(command("again"))
        pool.shutdown(wait=True)
    assert response.body == "on it"  # Slack's answer left before the check
    assert asked == ["again"] and not worked.is_set()
    assert gate.admitted == 0  # the slot and the place were given back


def test_a_released_slot_goes_to_the_one_waiting_not_to_a_newcomer() -> None:
    """A semaphore lets a newcomer barge in ahead of those waiting (this fails with one);
    work slots go in the order they were asked for, so no card waits behind newer ones."""
    slots = work_gate.FairSlots(1)
    slots.acquire()
    order: list[str] = []

    def waiter() -> None:
        slots.acquire()
        order.append("waited")
        slots.release()

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.05)  # it is waiting now
    slots.release()
    slots.acquire()  # a newcomer asking at once
    order.append("newcomer")
    slots.release()
    thread.join(timeout=5)
    assert order == ["waited", "newcomer"]


def test_a_busy_spell_is_logged_once_with_how_many_were_turned_away(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = busy_module.BusyLog()
    now = [1000.0]
    monkeypatch.setattr(busy_module.time, "monotonic", lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="dealcoach.ack"):
        for _ in range(500):
            busy.note("slash_command")
        now[0] += busy_module.BusyLog.EVERY_SECONDS
        busy.note("view_submission")
    counts = [record.turned_away for record in caplog.records]  # type: ignore[attr-defined]
    assert counts == [1, 500]  # the first at once, then the rest of the spell a minute on
