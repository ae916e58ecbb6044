"""`dealcoach export gaps|handoffs`: the rows a product team or a BI tool would load."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import DealCoachConfig
from bot.db import migrate
from bot.db.session import make_engine, make_session_factory
from tests.conftest import fresh_database
from tests.reports.fortnight import seed, with_checklists

REPO_CONFIG = Path(__file__).resolve().parents[1] / "config"


def test_export_gaps_and_handoffs_as_csv_and_json(
    backend: str,
    tmp_path: Path,
    config: DealCoachConfig,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for url in fresh_database(backend, tmp_path):
        migrate.upgrade(url)
        engine = make_engine(url)
        with make_session_factory(engine).begin() as session:
            seed(session, with_checklists(config))
        engine.dispose()
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("DEALCOACH_CONFIG_DIR", str(REPO_CONFIG))

        assert main(["export", "gaps", "--format", "json"]) == 0
        out, err = capsys.readouterr()
        gaps = json.loads(out)
        assert err.strip() == "2 gaps exported"
        assert [(g["deal"], g["weight"], g["revenue_at_stake"]) for g in gaps] == [
            ("Acme", "deal_breaker", 100_000),
            ("Delta", "challenge", 24_000),
        ]
        assert gaps[0]["need_id"] == gaps[1]["need_id"] and gaps[0]["slack_team_id"] == "T0DEALCO1"

        target = tmp_path / "handoffs.csv"
        argv = ["export", "handoffs", "--since", "2026-12-01", "--output", str(target)]
        assert main(argv) == 0
        rows = list(csv.DictReader(io.StringIO(target.read_text())))
        assert [r["deal"] for r in rows] == ["Delta", "Eps", "Gamma", "Acme"]
        gamma = next(r for r in rows if r["deal"] == "Gamma")
        assert gamma["business_hours_to_accept"] == "2.0"  # Friday 16:00 → Monday 10:00
        capsys.readouterr()

        assert main(["export", "gaps", "--since", "last week"]) == 2
        assert "--since takes a date as YYYY-MM-DD" in capsys.readouterr().err
