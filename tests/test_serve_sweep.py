"""`serve` starts its sweep beside the server once it listens: the server answers while the
scheduler is being built, stopping shuts the scheduler down, and a sweep that cannot start
stops the server and makes `serve` fail with its reason."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path

import pytest

from bot.config import DealCoachConfig
from bot.db import migrate
from bot.runtime import Runtime
from bot.settings import load_settings
from tests.processes import free_port


class FakeScheduler:
    def __init__(self) -> None:
        self.stopped = threading.Event()

    def shutdown(self, wait: bool = True) -> None:
        self.stopped.set()


def _runtime(tmp_path: Path, config: DealCoachConfig) -> Runtime:
    url = f"sqlite:///{tmp_path / 'dealcoach.db'}"
    migrate.upgrade(url)
    settings = load_settings(
        _env_file=None,
        slack_bot_token="xoxb-sweep",
        slack_signing_secret="sweep-secret",
        slack_api_url="http://127.0.0.1:9/api/",
        database_url=url,
        shutdown_grace_seconds=5,
    )
    return Runtime.start(settings, config)


def test_the_server_answers_before_the_sweep_has_started_and_stops_it(
    tmp_path: Path, config: DealCoachConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = _runtime(tmp_path, config)
    port = free_port()
    building, answered = threading.Event(), threading.Event()
    scheduler = FakeScheduler()

    def background_scheduler() -> FakeScheduler:
        building.set()
        assert answered.wait(timeout=10), "the server did not answer while the sweep started"
        return scheduler

    def ask_then_stop() -> None:
        assert building.wait(timeout=10)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert answer.status == 200
        answered.set()
        runtime.stopping.set()

    monkeypatch.setattr(runtime, "_background_scheduler", background_scheduler)
    client = threading.Thread(target=ask_then_stop)
    client.start()
    runtime.serve(host="127.0.0.1", port=port, scheduler=True)
    client.join(timeout=10)
    assert answered.is_set()
    assert scheduler.stopped.is_set()


def test_a_sweep_that_cannot_start_stops_serve_with_its_reason(
    tmp_path: Path, config: DealCoachConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = _runtime(tmp_path, config)

    def background_scheduler() -> FakeScheduler:
        raise RuntimeError("the sweep could not start")

    monkeypatch.setattr(runtime, "_background_scheduler", background_scheduler)
    with pytest.raises(RuntimeError, match="the sweep could not start"):
        runtime.serve(host="127.0.0.1", port=free_port(), scheduler=True)
    assert runtime.stopping.is_set()
