"""Routing as a table: who gets a handoff, who is left out, and the reason given."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest

from bot.coaching.routing import (
    Away,
    Candidate,
    Need,
    explain,
    infer_area,
    route,
    unavailable,
)
from bot.config.routing import RoutingRule

R = RoutingRule
DEFAULT_RULES = (R.AREA_AND_TERRITORY, R.AREA, R.TEAM)
MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)

ANA = Candidate("U0ANA", frozenset({"sso", "api"}), frozenset({"EMEA"}), 2, 6)
BEN = Candidate("U0BEN", frozenset({"sso"}), frozenset({"NA"}), 1, 8)
CAL = Candidate("U0CAL", frozenset({"dwh"}), frozenset({"EMEA"}), 0, 8)
DEE = Candidate("U0DEE", frozenset(), frozenset(), 3, 8)
TEAM = (ANA, BEN, CAL, DEE)

SSO_EMEA = Need("sso", "SSO", "EMEA", "West")
SSO_NA = Need("sso", "SSO", "na", "West")
SSO_APAC = Need("sso", "SSO", "APAC", "West")
DWH_NA = Need("dwh", "Data warehouse", "NA", "West")
NO_AREA_EMEA = Need(None, None, "EMEA", "West")
NOTHING = Need(team="West")


def away(c: Candidate, **kw: object) -> Candidate:
    return replace(c, away=Away(**kw))  # type: ignore[arg-type]


def at_cap(c: Candidate) -> Candidate:
    return replace(c, open_handoffs=c.max_open)


def last(c: Candidate, day: int) -> Candidate:
    return replace(c, last_assigned_at=datetime(2026, 11, day, 9, tzinfo=UTC))


def load(c: Candidate, n: int) -> Candidate:
    return replace(c, open_handoffs=n)


@dataclass(frozen=True)
class Case:
    name: str
    candidates: tuple[Candidate, ...]
    need: Need
    chosen: str | None
    rule: RoutingRule | None
    rules: tuple[RoutingRule, ...] = DEFAULT_RULES


CASES = [
    Case("area and territory match", TEAM, SSO_EMEA, "U0ANA", R.AREA_AND_TERRITORY),
    Case("territory compared ignoring case", TEAM, SSO_NA, "U0BEN", R.AREA_AND_TERRITORY),
    Case("area only, no one in APAC", TEAM, SSO_APAC, "U0BEN", R.AREA),
    Case("area only picks the lighter load", (ANA, load(BEN, 4)), SSO_APAC, "U0ANA", R.AREA),
    Case("no area: team, fewest open", TEAM, NOTHING, "U0CAL", R.TEAM),
    Case("territory alone is not a default rule", TEAM, NO_AREA_EMEA, "U0CAL", R.TEAM),
    Case(
        "territory rule when configured",
        (ANA, load(CAL, 5), DEE),
        NO_AREA_EMEA,
        "U0ANA",
        R.TERRITORY,
        (R.AREA_AND_TERRITORY, R.AREA, R.TERRITORY, R.TEAM),
    ),
    Case("unknown area falls to the team", TEAM, Need("ml", "ML", None, "West"), "U0CAL", R.TEAM),
    Case("only SE of the area at cap: nobody", (at_cap(CAL), DEE), DWH_NA, None, R.AREA),
    Case("at cap is left out, the other fits", (at_cap(ANA), BEN), SSO_APAC, "U0BEN", R.AREA),
    Case("one below cap still fits", (load(ANA, 5), BEN), SSO_EMEA, "U0ANA", R.AREA_AND_TERRITORY),
    Case(
        "away is left out",
        (away(BEN, until=date(2026, 12, 4)), ANA),
        SSO_NA,
        None,
        R.AREA_AND_TERRITORY,
    ),
    Case(
        "away by Slack status", (away(ANA, from_slack_status=True), BEN), SSO_APAC, "U0BEN", R.AREA
    ),
    Case("everyone away: nobody", tuple(away(c) for c in TEAM), NOTHING, None, R.TEAM),
    Case("nobody in the team at all", (), SSO_EMEA, None, None),
    Case(
        "no rule offers anyone without team rule",
        (CAL, DEE),
        SSO_EMEA,
        None,
        None,
        (R.AREA_AND_TERRITORY, R.AREA),
    ),
    Case(
        "tie: least recently assigned",
        (last(ANA, 20), last(load(BEN, 2), 18)),
        SSO_APAC,
        "U0BEN",
        R.AREA,
    ),
    Case(
        "tie: never assigned goes first", (last(ANA, 20), load(BEN, 2)), SSO_APAC, "U0BEN", R.AREA
    ),
    Case(
        "tie by load decides before recency",
        (last(ANA, 22), last(BEN, 1)),
        SSO_APAC,
        "U0BEN",
        R.AREA,
    ),
    Case(
        "tie with equal times: config order",
        (last(load(BEN, 2), 20), last(ANA, 20)),
        SSO_APAC,
        "U0BEN",
        R.AREA,
    ),
    Case("area rule only", TEAM, DWH_NA, "U0CAL", R.AREA, (R.AREA,)),
    Case("team rule first ignores areas", TEAM, SSO_EMEA, "U0CAL", R.TEAM, (R.TEAM, R.AREA)),
    Case("away and at cap both out", (away(ANA), at_cap(BEN), DEE), SSO_APAC, None, R.AREA),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_routing_table(case: Case) -> None:
    routed = route(case.candidates, case.need, case.rules)
    chosen = routed.chosen.candidate.slack_user_id if routed.chosen else None
    assert (chosen, routed.rule) == (case.chosen, case.rule)
    assert {r.candidate.slack_user_id for r in routed.ranked} == {
        c.slack_user_id for c in case.candidates
    }
    if routed.chosen is not None:
        assert routed.chosen.available
        assert routed.ranked[0] == routed.chosen


def test_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20


def test_ranked_list_puts_rule_matches_first_then_free_then_load() -> None:
    routed = route((DEE, away(BEN), CAL, ANA), SSO_EMEA, DEFAULT_RULES)
    assert [r.candidate.slack_user_id for r in routed.ranked] == [
        "U0ANA",  # area and territory
        "U0BEN",  # area, but away
        "U0CAL",  # team, no open handoffs
        "U0DEE",  # team, three open
    ]
    assert [r.rule for r in routed.ranked] == [R.AREA_AND_TERRITORY, R.AREA, R.TEAM, R.TEAM]


def test_nobody_fits_still_ranks_everyone_for_the_manager() -> None:
    routed = route((at_cap(CAL), DEE), DWH_NA, DEFAULT_RULES)
    assert routed.chosen is None and routed.explanation is None
    assert [(r.candidate.slack_user_id, r.unavailable) for r in routed.ranked] == [
        ("U0CAL", "at their cap of 8 open handoffs"),
        ("U0DEE", None),
    ]


@pytest.mark.parametrize(
    ("candidate", "need", "text"),
    [
        (ANA, SSO_EMEA, "covers SSO and EMEA; 2 open handoffs"),
        (BEN, SSO_APAC, "covers SSO; 1 open handoff"),
        (CAL, NO_AREA_EMEA, "covers EMEA; no open handoffs"),
        (DEE, NOTHING, "next in West's rotation; 3 open handoffs"),
        (DEE, Need(), "next in the team's rotation; 3 open handoffs"),
        (ANA, Need("sso", None, None), "covers sso; 2 open handoffs"),
    ],
)
def test_explanation(candidate: Candidate, need: Need, text: str) -> None:
    assert explain(candidate, need) == text


def test_the_chosen_explanation_is_the_one_the_card_shows() -> None:
    assert (
        route(TEAM, SSO_EMEA, DEFAULT_RULES).explanation == "covers SSO and EMEA; 2 open handoffs"
    )


@pytest.mark.parametrize(
    ("candidate", "text"),
    [
        (away(ANA, until=date(2026, 12, 4), reason="holiday"), "away until Fri 4 Dec: holiday"),
        (away(ANA, until=date(2026, 12, 4)), "away until Fri 4 Dec"),
        (
            away(ANA, from_slack_status=True, reason="🌴 Vacation"),
            "out of office (Slack status): 🌴 Vacation",
        ),
        (away(ANA), "away"),
        (at_cap(ANA), "at their cap of 6 open handoffs"),
        (ANA, None),
    ],
)
def test_why_someone_is_left_out(candidate: Candidate, text: str | None) -> None:
    assert unavailable(candidate) == text


AREAS = [
    ("sso", ["sso", "saml", "okta", "single sign-on"]),
    ("api", ["api", "webhook", "rate limit"]),
    ("dwh", ["snowflake", "warehouse"]),
]


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("SSO with Okta fails for EU users", "sso"),
        ("Their single sign-on breaks after the SAML cert rotated", "sso"),
        ("The API hits a rate limit on bulk export", "api"),
        ("Capital costs of the rollout worry finance", None),
        ("Webhook retries flood the Snowflake warehouse loader", "dwh"),
        ("Okta login then the API times out", "sso"),
        ("", None),
    ],
)
def test_infer_area(text: str, area: str | None) -> None:
    assert infer_area(text, AREAS) == area
