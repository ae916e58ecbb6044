"""The report message, the App Home team section and the link offer: valid Block Kit."""

from __future__ import annotations

import dataclasses
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from bot.blocks import report as report_blocks
from bot.config import DealCoachConfig
from bot.reports.figures import Report, RepSaving
from bot.reports.rows import GapLine
from bot.services import reports
from bot.standin.validation import check_blocks
from tests.reports.fortnight import END, seed, with_checklists

UTC = ZoneInfo("UTC")


@pytest.fixture
def report(session: Session, config: DealCoachConfig) -> Report:
    config = with_checklists(config)
    seeded = seed(session, config)
    return reports.build(
        session=session,
        workspace=seeded.workspace,
        team=config.teams[0],
        config=config,
        now=END,
        weeks=1,
    )


def valid(blocks: list[dict[str, object]], limit: int = 50) -> str:
    assert check_blocks(blocks, limit=limit) == []
    return json.dumps(blocks, ensure_ascii=False)


def test_the_report_reads_against_last_week_and_links_the_oldest_cards(report: Report) -> None:
    text, blocks = report_blocks.report_message(
        report,
        tz=UTC,
        card_links={report.oldest_open[0].id: "https://slack.test/archives/D1/p1"},
        chart_note="Chart: dealcoach-enterprise.png",
    )
    body = valid(blocks)
    assert text.startswith("Enterprise, week to Tue 8 Dec: 4 handoffs opened")
    assert "opened 4 (was 2)" in body and "median 5.5 h (was 2.0 h)" in body
    assert "90th percentile 9.0 h" in body and "*SLA misses* 2 (was 0)" in body
    assert "<https://slack.test/archives/D1/p1|Eps>" in body and "*Acme*" in body
    assert "<@U0REP0002> 4 h, $6,250" in body and "(was 8 h, $12,500)" in body
    assert "20% 70–100%" in body and "*Economic buyer met* (2 deals)" in body
    assert "written 2 (was 1), confirmed 1 (was 0)" in body
    assert "SSO with Okta (Security &amp; compliance): $124,000 across 2 deals" in body
    assert "could not go out" not in body


def test_missed_weeks_are_said_and_many_rows_stay_inside_slacks_limits(report: Report) -> None:
    many = dataclasses.replace(
        report,
        missed_weeks=2,
        current=dataclasses.replace(
            report.current,
            saved=tuple(RepSaving(f"U0REP{n:04d}", "r", 1, 1000) for n in range(40)),
        ),
        top_gaps=tuple(GapLine("x" * 200, "API", 3, 10.0) for _ in range(30)),
    )
    _, blocks = report_blocks.report_message(many, tz=UTC)
    body = valid(blocks)
    assert "for the last 2 weeks, so this one covers them too" in body
    assert "• 32 more reps: $32,000" in body


def test_home_section_and_link_offer(report: Report) -> None:
    home = report_blocks.team_section(report, tz=UTC)
    body = valid(home, limit=100)
    assert "4 handoffs opened" in body and '"action_id": "report_full"' in body
    _, offer = report_blocks.link_offer(7, "Beta", [(3, "SSO with Okta", 3)])
    body = valid(offer)
    assert "also needed by 3 other deals" in body and '"value": "7:3"' in body


def test_a_gap_on_deals_of_unknown_value_says_so(report: Report) -> None:
    unknown = dataclasses.replace(report, top_gaps=(GapLine("Audit log", "API", 2, 0.0, 2),))
    _, blocks = report_blocks.report_message(unknown, tz=UTC)
    assert "Audit log (API): $0 across 2 deals, value unknown for 2" in valid(blocks)
