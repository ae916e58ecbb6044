"""Start-up mistakes: each stops with one line naming the variable and the fix, exit code 2."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from bot.cli import main
from bot.db import migrate
from bot.db.models import Workspace
from bot.db.session import make_engine
from bot.startup import built

REPO_CONFIG = Path(__file__).resolve().parents[1] / "config"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEALCOACH_CONFIG_DIR", str(REPO_CONFIG))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-abc")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "a-real-secret")
    return monkeypatch


@pytest.mark.parametrize(
    ("command", "variable", "value", "words"),
    [
        ("serve", "SLACK_SIGNING_SECRET", "", "SLACK_SIGNING_SECRET is set but empty"),
        ("serve", "SLACK_SIGNING_SECRET", "your-signing-secret", "placeholder from .env.example"),
        ("serve", "SLACK_BOT_TOKEN", "xoxb-your-bot-token", "SLACK_BOT_TOKEN still holds"),
        ("serve", "SLACK_BOT_TOKEN", "xoxp-1-2-3", "must start with xoxb-, and this is a user"),
        ("socket", "SLACK_APP_TOKEN", "xoxb-1-2-3", "must start with xapp-, and this is a bot"),
        ("serve", "SLACK_CLIENT_ID", "1234567890.1234567890", "SLACK_CLIENT_ID still holds"),
        ("serve", "DEALCOACH_ENCRYPTION_KEY", "not-a-key", "not a Fernet key"),
        (
            "serve",
            "DATABASE_URL",
            "postgresql+pg8000://dc:hunter2@db:5432/dc",
            "pip install 'dealcoach[postgres]'",
        ),
        (
            "worker",
            "DATABASE_URL",
            "postgresql+psycopg://dc:hunter2@127.0.0.1:1/dc",
            "database at 127.0.0.1:1 does not answer",
        ),
    ],
)
def test_each_mistake_is_one_line_and_exit_code_2(
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    variable: str,
    value: str,
    words: str,
) -> None:
    env.setenv(variable, value)
    assert main([command]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert words in err[0] and variable in err[0]
    assert "hunter2" not in err[0]
    assert value not in err[0] or variable not in {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"}
    assert gc.isenabled()  # the collector paused for start-up runs again


def test_a_built_runtime_resumes_the_collector_paused_for_start_up() -> None:
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        built()
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen  # start-up's objects are not walked again
    finally:
        gc.unfreeze()
        gc.enable()
    built()  # not paused: nothing to do
    assert gc.get_freeze_count() == 0


def test_many_workspaces_without_an_encryption_key_is_refused(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.delenv("SLACK_BOT_TOKEN")
    env.setenv("SLACK_CLIENT_ID", "111.222")
    env.setenv("SLACK_CLIENT_SECRET", "a-client-secret")
    env.delenv("DEALCOACH_ENCRYPTION_KEY", raising=False)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DEALCOACH_ENCRYPTION_KEY is not set" in err[0]


def test_workspace_forget_by_hand(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        for team in ("T0GONE001", "T0STAYS01"):
            connection.execute(
                insert(Workspace).values(slack_team_id=team, created_at=datetime.now(UTC))
            )
    assert main(["workspace", "forget", "not-a-team"]) == 2
    assert "is not a Slack team id" in capsys.readouterr().err
    assert main(["workspace", "forget", "T0GONE001"]) == 0
    assert "forgot workspace T0GONE001" in capsys.readouterr().out
    with engine.connect() as connection:
        teams = connection.execute(select(Workspace.slack_team_id)).scalars().all()
    engine.dispose()
    assert teams == ["T0STAYS01"]
