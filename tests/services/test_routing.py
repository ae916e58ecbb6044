"""Routing over a real database (SQLite and PostgreSQL): load, away, Slack status, ranking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coaching.away import SlackStatus
from bot.config import DealCoachConfig, Team
from bot.config.routing import ProductArea, Routing, RoutingRule, SeCoverage
from bot.db.models import AwayPeriod, Deal, Handoff, HandoffState, Person, Workspace
from bot.services import away, handoffs, people, routing
from bot.services.errors import InvalidInput
from bot.services.handoffs import HandoffDraft
from tests.conftest import MANAGER, REP, SE1, SE2, START, TEAM_ID

SE3 = "U0SE00003"
AUCKLAND, LOS_ANGELES, BERLIN = "Pacific/Auckland", "America/Los_Angeles", "Europe/Berlin"


@pytest.fixture
def config() -> DealCoachConfig:
    return DealCoachConfig(
        teams=[Team(name="West", reps=[REP], ses=[SE1, SE2, SE3], se_managers=[MANAGER])],
        routing=Routing(
            areas={
                "sso": ProductArea(name="SSO", words=["sso", "okta", "saml"]),
                "dwh": ProductArea(name="Data warehouse", words=["snowflake", "warehouse"]),
            },
            ses={
                SE1: SeCoverage(areas=["sso"], territories=["EMEA"], max_open=2),
                SE2: SeCoverage(areas=["sso"], territories=["NA"]),
                SE3: SeCoverage(areas=["dwh"], territories=["EMEA"]),
            },
        ),
    )


def ws(session: Session) -> Workspace:
    return people.workspace(session=session, slack_team_id=TEAM_ID, now=START)


def person(session: Session, config: DealCoachConfig, slack_id: str, tz: str = BERLIN) -> Person:
    return people.person(
        session=session,
        workspace=ws(session),
        slack_user_id=slack_id,
        config=config,
        now=START,
        profile=people.Profile(slack_id, slack_id.lower(), tz),
    )


def give(
    session: Session, config: DealCoachConfig, se: str, *, at: datetime = START, deal: str = "Acme"
) -> Handoff:
    return handoffs.open(
        session=session,
        workspace=ws(session),
        rep=person(session, config, REP),
        assignee=person(session, config, se),
        draft=HandoffDraft(deal_name=deal, problem="Okta SSO fails for EU users"),
        config=config,
        now=at,
    )


def route(
    session: Session,
    config: DealCoachConfig,
    problem: str = "SSO with Okta fails",
    territory: str | None = "EMEA",
    *,
    now: datetime = START,
    statuses: dict[str, SlackStatus] | None = None,
    exclude: tuple[str, ...] = (),
) -> routing.Outcome:
    team = routing.team_of_rep(config, REP)
    need = routing.need_for(config, team=team, problem=problem, territory=territory)
    return routing.route(
        session=session,
        workspace=ws(session),
        rep_slack_id=REP,
        need=need,
        team=team,
        config=config,
        now=now,
        statuses=statuses,
        exclude=exclude,
    )


def test_the_se_who_covers_area_and_territory_gets_it_and_says_why(
    session: Session, config: DealCoachConfig
) -> None:
    outcome = route(session, config)
    assert outcome.assignee == SE1
    assert outcome.reason == "covers SSO and EMEA; no open handoffs"
    assert outcome.routed.rule is RoutingRule.AREA_AND_TERRITORY


def test_open_handoffs_count_and_a_full_se_is_left_out(
    session: Session, config: DealCoachConfig
) -> None:
    give(session, config, SE1, deal="Acme")
    assert route(session, config).reason == "covers SSO and EMEA; 1 open handoff"
    give(session, config, SE1, deal="Globex")
    outcome = route(session, config)
    assert outcome.assignee is None
    assert outcome.managers == [MANAGER]
    assert [(r.candidate.slack_user_id, r.unavailable) for r in outcome.routed.ranked] == [
        (SE1, "at their cap of 2 open handoffs"),
        (SE2, None),
        (SE3, None),
    ]


def test_resolved_and_declined_handoffs_do_not_count(
    session: Session, config: DealCoachConfig
) -> None:
    first = give(session, config, SE1, deal="Acme")
    give(session, config, SE1, deal="Globex")
    first.state = HandoffState.RESOLVED
    session.flush()
    assert route(session, config).assignee == SE1


def test_among_equals_the_least_recently_assigned_wins(
    session: Session, config: DealCoachConfig
) -> None:
    give(session, config, SE2, at=START, deal="Acme")
    give(session, config, SE1, at=START + timedelta(hours=1), deal="Globex")
    outcome = route(session, config, territory="APAC")
    assert outcome.routed.rule is RoutingRule.AREA
    assert outcome.assignee == SE2
    assert outcome.reason == "covers SSO; 1 open handoff"


def test_a_reassignment_counts_as_the_latest_assignment(
    session: Session, config: DealCoachConfig
) -> None:
    early = give(session, config, SE3, at=START, deal="Acme")
    give(session, config, SE2, at=START + timedelta(hours=1), deal="Globex")
    handoffs.reassign(
        session=session,
        handoff=early,
        actor=person(session, config, MANAGER),
        new_assignee=person(session, config, SE1),
        config=config,
        now=START + timedelta(hours=2),
    )
    outcome = route(session, config, territory="APAC")
    assert outcome.assignee == SE2  # both hold one; SE1 got theirs last


def test_unknown_product_area_is_refused_with_the_choices(config: DealCoachConfig) -> None:
    team = routing.team_of_rep(config, REP)
    with pytest.raises(InvalidInput) as error:
        routing.need_for(config, team=team, problem="x", area="crm")
    assert error.value.errors == {
        "product_area": "Pick a product area from the list (SSO, Data warehouse)."
    }
    need = routing.need_for(config, team=team, problem="Snowflake loads stall", territory=" ")
    assert (need.area, need.area_name, need.territory) == ("dwh", "Data warehouse", None)


def test_reassignment_excludes_the_current_assignee(
    session: Session, config: DealCoachConfig
) -> None:
    outcome = route(session, config, exclude=(SE1,))
    assert outcome.assignee == SE2
    assert SE1 not in [r.candidate.slack_user_id for r in outcome.routed.ranked]


# --- away -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "last_minute_away", "first_minute_back"),
    [
        # Tuesday 24 Nov ends at 11:00 UTC in Auckland (UTC+13) ...
        (
            AUCKLAND,
            datetime(2026, 11, 24, 10, 59, tzinfo=UTC),
            datetime(2026, 11, 24, 11, tzinfo=UTC),
        ),
        # ... and at 08:00 UTC the next day in Los Angeles (UTC-8).
        (
            LOS_ANGELES,
            datetime(2026, 11, 25, 7, 59, tzinfo=UTC),
            datetime(2026, 11, 25, 8, tzinfo=UTC),
        ),
    ],
)
def test_away_lasts_to_the_end_of_the_day_in_the_ses_own_zone(
    session: Session,
    config: DealCoachConfig,
    tz: str,
    last_minute_away: datetime,
    first_minute_back: datetime,
) -> None:
    se = person(session, config, SE1, tz=tz)
    period = away.set_away(
        session=session, person=se, text="until 24 nov conference", config=config, now=START
    )
    assert (period.until, period.reason, period.time_zone) == (date(2026, 11, 24), "conference", tz)
    assert away.current(session=session, person=se, now=last_minute_away) is not None
    assert route(session, config, now=last_minute_away).assignee is None
    assert away.current(session=session, person=se, now=first_minute_back) is None
    assert route(session, config, now=first_minute_back).assignee == SE1


def test_away_reason_and_date_reach_the_ranked_list(
    session: Session, config: DealCoachConfig
) -> None:
    se = person(session, config, SE1)
    away.set_away(
        session=session, person=se, text="until Friday: offsite", config=config, now=START
    )
    ranked = route(session, config, territory="APAC").routed
    assert ranked.chosen is not None and ranked.chosen.candidate.slack_user_id == SE2
    assert ranked.ranked[1].unavailable == "away until Fri 27 Nov: offsite"


def test_back_ends_it_and_a_new_date_replaces_the_old(
    session: Session, config: DealCoachConfig
) -> None:
    se = person(session, config, SE1)
    away.set_away(session=session, person=se, text="until friday", config=config, now=START)
    later = START + timedelta(hours=1)
    replaced = away.set_away(
        session=session, person=se, text="until 4 dec", config=config, now=later
    )
    assert replaced.until == date(2026, 12, 4)
    assert (
        session.scalar(
            select(func.count()).select_from(AwayPeriod).where(AwayPeriod.ended_at.is_(None))
        )
        == 1
    )
    ended = away.back(session=session, person=se, now=later + timedelta(hours=1))
    assert ended is not None and ended.until == date(2026, 12, 4)
    assert away.back(session=session, person=se, now=later + timedelta(hours=2)) is None
    assert route(session, config, now=later + timedelta(hours=2)).assignee == SE1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Say until when you're away"),
        ("until blursday", "I couldn't read “blursday” as a date"),
        ("until 2026-11-20", "Fri 20 Nov 2026 has passed"),
        ("until 1 dec 2028", "more than a year away"),
        ("until friday " + "x" * 201, "Keep the reason under 200 characters"),
    ],
)
def test_bad_away_text_says_how_to_write_it_and_writes_nothing(
    session: Session, config: DealCoachConfig, text: str, message: str
) -> None:
    se = person(session, config, SE1)
    with pytest.raises(InvalidInput) as error:
        away.set_away(session=session, person=se, text=text, config=config, now=START)
    assert message in error.value.errors["away"]
    assert session.scalar(select(func.count()).select_from(AwayPeriod)) == 0


def test_today_is_a_valid_last_day(session: Session, config: DealCoachConfig) -> None:
    se = person(session, config, SE1)
    period = away.set_away(session=session, person=se, text="today sick", config=config, now=START)
    assert (period.until, period.reason) == (START.date(), "sick")


# --- Slack status ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "is_away"),
    [
        (SlackStatus(text="Out of office until Monday"), True),
        (SlackStatus(text="OOO"), True),
        (SlackStatus(emoji=":palm_tree:"), True),
        (SlackStatus(text="Vacation", expiration=int(START.timestamp()) - 60), False),
        (SlackStatus(text="Vacation", expiration=int(START.timestamp()) + 60), True),
        (SlackStatus(text="In a meeting", emoji=":calendar:"), False),
        (SlackStatus(text="Reviewing the goodwill proposal"), False),
    ],
)
def test_an_out_of_office_slack_status_counts_as_away(
    session: Session, config: DealCoachConfig, status: SlackStatus, is_away: bool
) -> None:
    outcome = route(session, config, statuses={SE1: status})
    assert (outcome.assignee != SE1) is is_away


def test_a_date_set_with_coach_away_says_more_than_the_status(
    session: Session, config: DealCoachConfig
) -> None:
    se = person(session, config, SE1)
    away.set_away(session=session, person=se, text="until friday", config=config, now=START)
    outcome = route(
        session, config, statuses={SE1: SlackStatus(text="Vacation", emoji=":palm_tree:")}
    )
    assert outcome.routed.ranked[0].unavailable == "away until Fri 27 Nov"
    status_only = route(
        session,
        config,
        statuses={SE2: SlackStatus(text="Vacation", emoji=":palm_tree:")},
        territory="NA",
    )
    assert [
        r.unavailable for r in status_only.routed.ranked if r.candidate.slack_user_id == SE2
    ] == ["out of office (Slack status): :palm_tree: Vacation"]


def test_a_deals_territory_is_set_as_config_spells_it_and_drives_routing(
    session: Session, config: DealCoachConfig
) -> None:
    give(session, config, SE3, deal="Acme")
    deal = session.scalars(select(Deal)).one()
    routing.set_territory(deal=deal, territory=" na ", config=config)
    session.flush()
    assert deal.territory == "NA"
    assert route(session, config, territory=deal.territory).assignee == SE2
    with pytest.raises(InvalidInput) as error:
        routing.set_territory(deal=deal, territory="EMAE", config=config)
    assert error.value.errors == {"territory": "No SE covers “EMAE”. Pick one of: EMEA, NA."}
    assert deal.territory == "NA"
    routing.set_territory(deal=deal, territory="", config=config)
    assert deal.territory is None
