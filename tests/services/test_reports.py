"""The manager's report on a seeded fortnight (SQLite and PostgreSQL), and who may ask."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy.orm import Session

from bot.blocks import report as report_blocks
from bot.config import DealCoachConfig, Team
from bot.services import deals, gaps, people, reports
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.gaps import GapDraft
from tests.conftest import MANAGER, OUTSIDER, REP, SE1
from tests.reports.fortnight import END, at, seed, with_checklists


@pytest.fixture
def config(config: DealCoachConfig) -> DealCoachConfig:
    return with_checklists(config)


def test_the_figures_of_a_seeded_fortnight(session: Session, config: DealCoachConfig) -> None:
    seeded = seed(session, config)
    report = reports.build(
        session=session,
        workspace=seeded.workspace,
        team=config.teams[0],
        config=config,
        now=END,
        weeks=1,
    )
    now, before = report.current, report.previous
    assert (now.period.start, before.period.start) == (at(1, 9), at(24, 9, 11))
    assert (now.opened, now.accepted, now.resolved, now.declined, now.reassigned) == (4, 2, 1, 0, 1)
    assert (before.opened, before.accepted, before.resolved, before.declined) == (2, 1, 1, 1)
    # Gamma: Friday 16:00 → Monday 10:00 is 2 business hours; Delta: Tue 10:00 → Wed 11:00 is 9.
    assert (now.accept_median, now.accept_p90) == (5.5, 9)
    assert (before.accept_median, before.accept_p90) == (2, 2)
    assert (now.sla_misses, now.escalations) == (2, 1)  # Delta late; Eps never accepted
    assert (before.sla_misses, before.escalations) == (0, 0)  # Beta was declined within the hour
    assert [(o.deal_name, o.message_ts) for o in report.oldest_open] == [
        ("Eps", "1764666000.000200"),
        ("Acme", None),
    ]
    # Delta's rep got 4 hours back this week; Acme's 8 hours last week ($1,562.50 an hour).
    assert [(s.rep, s.hours, s.dollars) for s in now.saved] == [("U0REP0002", 4, 6250)]
    assert [(s.rep, s.hours, s.dollars) for s in before.saved] == [(REP, 8, 12500)]
    assert (now.paraphrases_written, now.paraphrases_confirmed) == (2, 1)
    assert (before.paraphrases_written, before.paraphrases_confirmed) == (1, 0)
    assert (now.tips_helpful, now.tips_not_helpful) == (2, 1)
    assert now.gaps_logged == 2
    coverage = report.coverage
    assert coverage.open_deals == 5
    assert dict(coverage.bands) == {"70–100%": 0.2, "40–69%": 0.2, "0–39%": 0.0, "not started": 0.6}
    assert (coverage.most_common_gap, coverage.most_common_gap_deals) == ("Economic buyer met", 2)
    top = report.top_gaps[0]
    assert (top.title, top.deals, top.revenue) == ("SSO with Okta", 2, 100_000 + 0.6 * 40_000)
    assert len(report.trend) == 8
    assert (report.trend[-1].opened, report.trend[-1].accepted_in_sla) == (4, 1)


def test_only_managers_may_ask_and_bad_requests_say_how(config: DealCoachConfig) -> None:
    team = config.teams[0]
    assert reports.parse_request("", asker=MANAGER, config=config) == (team, 1)
    assert reports.parse_request("enterprise 4", asker=MANAGER, config=config) == (team, 4)
    for asker in (REP, SE1, OUTSIDER):
        with pytest.raises(NotAllowed) as refused:
            reports.parse_request("", asker=asker, config=config)
        assert f"<@{MANAGER}>" in str(refused.value)
    with pytest.raises(InvalidInput) as unknown:
        reports.parse_request("nosuchteam", asker=MANAGER, config=config)
    assert "/coach report [team] [weeks]" in str(unknown.value)
    for weeks in ("0", "500", "-2"):
        with pytest.raises(InvalidInput) as bad:
            reports.parse_request(weeks, asker=MANAGER, config=config)
        assert "Weeks is 1 to 26" in str(bad.value)


def test_a_sales_manager_may_read_their_team_only(config: DealCoachConfig) -> None:
    other = Team(name="East", ses=[SE1], sales_managers=["U0SALES01"])
    both = config.model_copy(update={"teams": [*config.teams, other]})
    assert reports.parse_request("east", asker="U0SALES01", config=both)[0].name == "East"
    with pytest.raises(NotAllowed):
        reports.parse_request("Enterprise", asker="U0SALES01", config=both)


def test_coverage_rows_agree_with_each_deals_own_standing(
    session: Session, config: DealCoachConfig
) -> None:
    from bot.coaching import qualification as rules
    from bot.services import qualification

    seeded = seed(session, config)
    rows = reports.load(
        session=session,
        workspace=seeded.workspace,
        team=config.teams[0],
        config=config,
        now=END,
        weeks=1,
    ).deals
    for row in rows:
        deal = next(d for d in seeded.deals.values() if d.id == row.deal_id)
        standing = qualification.standing(session=session, deal=deal, config=config, asker=REP)
        expected = rules.score(standing.items).percent if standing.answered else None
        assert row.percent == expected
        assert row.open_items == (
            tuple(s.item.title for s in standing.gaps) if standing.answered else ()
        )
    assert sorted(r.percent or 0 for r in rows) == [0, 0, 0, 50, 83]


def test_coverage_is_compared_with_the_end_of_the_period_before(
    session: Session, config: DealCoachConfig
) -> None:
    seeded = seed(session, config)
    report = reports.build(
        session=session,
        workspace=seeded.workspace,
        team=config.teams[0],
        config=config,
        now=END,
        weeks=1,
    )
    # On Tuesday 1 Dec 09:00 only Acme and Beta existed, and nobody had answered yet
    # (the answers came at 12:00 that day).
    before = report.previous_coverage
    assert before is not None and before.open_deals == 2
    assert dict(before.bands)["not started"] == 1.0
    assert report.coverage.open_deals == 5
    _, blocks = report_blocks.report_message(report, tz=UTC)
    assert "20% 70–100% (was 0%)" in str(blocks)
    assert "60% not started (was 100%)" in str(blocks)


def test_top_gaps_count_only_the_teams_deals(session: Session, config: DealCoachConfig) -> None:
    seeded = seed(session, config)
    outsider = people.person(
        session=session,
        workspace=seeded.workspace,
        slack_user_id=OUTSIDER,
        config=config,
        now=at(1, 9),
        profile=people.Profile(OUTSIDER, "outsider", "UTC"),
    )
    elsewhere = deals.create(
        session=session, workspace=seeded.workspace, name="Zeta", owner=outsider, now=at(1, 9)
    )
    elsewhere.amount = 5_000_000
    gaps.log(
        session=session,
        workspace=seeded.workspace,
        deal=elsewhere,
        draft=GapDraft("Offline mode", "Other", "deal_breaker"),
        actor=outsider,
        config=config,
        now=at(3, 12),
    )
    session.flush()
    whole = gaps.top_by_revenue(session=session, workspace=seeded.workspace, config=config)
    assert whole[0].group.title == "Offline mode"  # across the workspace it would lead
    report = reports.build(
        session=session,
        workspace=seeded.workspace,
        team=config.teams[0],
        config=config,
        now=END,
        weeks=1,
    )
    assert [g.title for g in report.top_gaps] == ["SSO with Okta"]
