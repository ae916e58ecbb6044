"""`dealcoach crm sync [--full]` against the stand-ins: a progress bar, then a summary."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from bot.cli import main
from bot.db import migrate
from bot.db.models import Deal, Workspace
from bot.db.session import make_engine
from bot.standin import SlackStandIn
from bot.standin.hubspot import HubSpotStandIn
from tests.crm.conftest import CRM_START

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config"


def test_crm_sync_by_hand_shows_progress_and_a_summary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir = tmp_path / "config"
    shutil.copytree(REPO_CONFIG, config_dir)
    yaml = config_dir / "dealcoach.yaml"
    yaml.write_text(yaml.read_text().replace("\ncrm: none\n", "\ncrm: hubspot\n"))
    url = f"sqlite:///{tmp_path}/x.db"
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            insert(Workspace).values(slack_team_id="T0DEALCO1", created_at=datetime.now(UTC))
        )
    monkeypatch.chdir(tmp_path)
    with HubSpotStandIn() as hubspot, SlackStandIn() as slack:
        slack.add_user("U0REP0001", "riley", email="riley@example.com")
        owner = hubspot.add_owner("riley@example.com")
        hubspot.seed(230, start=CRM_START, owner_ids=[owner])
        for name, value in {
            "DEALCOACH_CONFIG_DIR": str(config_dir),
            "DATABASE_URL": url,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_API_URL": slack.api_url,
            "HUBSPOT_ACCESS_TOKEN": hubspot.access_token,
            "HUBSPOT_API_URL": hubspot.url,
        }.items():
            monkeypatch.setenv(name, value)
        for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
            monkeypatch.delenv(name, raising=False)
        assert main(["crm", "sync"]) == 0
        first = capsys.readouterr()
        assert "T0DEALCO1: 230 new, 0 updated" in first.out
        assert "hubspot deals: 230" in first.err, "the progress bar counted every deal"
        assert main(["crm", "sync", "--full"]) == 0
        assert "0 new, 0 updated" in capsys.readouterr().out, "nothing changed since"
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Deal)) == 230
    engine.dispose()


def test_crm_sync_without_a_crm_says_how_to_configure_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALCOACH_CONFIG_DIR", str(REPO_CONFIG))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    assert main(["crm", "sync"]) == 2
    assert "no CRM configured" in capsys.readouterr().err
