"""The paraphrase check on a table of paraphrases written for this test, good and bad."""

from __future__ import annotations

import pytest

from bot.coaching.paraphrase import (
    FindingKind,
    Rules,
    findings_from_json,
    findings_json,
    review,
)
from bot.config import DEFAULT_JARGON

SOLUTION = FindingKind.SOLUTION_TALK
NO_PROBLEM = FindingKind.NO_PROBLEM
WE = FindingKind.WE_TALK
NO_IMPACT = FindingKind.NO_IMPACT
NO_WHY_NOW = FindingKind.NO_WHY_NOW
JARGON = FindingKind.JARGON
TOO_LONG = FindingKind.TOO_LONG
NO_CUSTOMER = FindingKind.NO_CUSTOMER_PROBLEM

RULES = Rules(
    product_names=("Skyline", "Skyline Sync", "Skyline Insights"), jargon=tuple(DEFAULT_JARGON)
)

LONG_GOOD = (
    "Their finance team closes the books by hand every month, which takes six people four "
    "days and pushes the board pack late. Invoices from the three regional systems arrive in "
    "different formats, so analysts re-key them and errors slip through to the auditors, who "
    "flagged it last year. The CFO also worries that the warehouse and the shops count stock "
    "differently, and that the bank covenant review in March will ask about it again. On top "
    "of that the team lost two senior accountants this year."
)

# (text, the findings it should get)
TABLE: list[tuple[str, set[FindingKind]]] = [
    # --- good: about them, with impact and timing, short enough to say ---
    (
        "Finance loses three days every month-end reconciling invoices by hand, and the "
        "auditors arrive in March.",
        set(),
    ),
    (
        "Their support agents re-type every order into two systems, which costs them about "
        "$40k a month in overtime; the contract with their current vendor ends in June.",
        set(),
    ),
    (
        "Claims take 9 days to approve, so patients wait and complaints reach the regulator; "
        "they need that under 3 days before the Q3 review.",
        set(),
    ),
    (
        'The CFO said "we lose a day every close" and wants it fixed by the end of the quarter.',
        set(),
    ),
    (
        "Their EU users can't log in through Okta, so 200 staff are locked out of the field "
        "app; the pilot review with their COO is on Friday.",
        set(),
    ),
    (
        "Onboarding a new hospital takes them six weeks of manual setup, which delays revenue; "
        "they open four sites next quarter.",
        set(),
    ),
    (
        "Security reviews block every release for two weeks, and they risk missing the holiday "
        "launch.",
        set(),
    ),
    (
        "Their nurses spend two hours per shift charting on paper, and the state inspection "
        "is in 6 weeks.",
        set(),
    ),
    (
        "The customer's analysts rebuild the same spreadsheet every Monday, which costs them a "
        "day a week; their CFO wants that time back by January.",
        set(),
    ),
    (
        "Their logistics team misses delivery windows when the route planner crashes, and "
        "each miss costs a penalty; the retail contract renews on 1 April.",
        set(),
    ),
    (
        "Their HR team onboards 300 hires a month by hand; errors mean people start without "
        "laptops, and hiring doubles in January.",
        set(),
    ),
    (
        "Their board meets in two weeks and wants one view of pipeline risk across regions.",
        set(),
    ),
    (
        'They told us "no problem is bigger than the close", which takes 5 days and delays '
        "their board pack at quarter-end.",
        set(),
    ),
    (
        "The customer has no problem with the price, but their auditors flagged missing "
        "access logs twice; the next audit is in February.",
        set(),
    ),
    (
        "Downtime during the nightly batch halts their call centre, and outages have cost them "
        "two enterprise renewals this year.",
        set(),
    ),
    (
        "Their patients wait 40 minutes on hold because scheduling is manual; the new clinic "
        "opens on 3 March and they cannot hire more schedulers.",
        set(),
    ),
    # --- bad: each for its own reasons ---
    (
        "No problem, we can fix that with our platform.",
        {SOLUTION, NO_PROBLEM, NO_CUSTOMER, NO_IMPACT, NO_WHY_NOW},
    ),
    (
        "We can set up Skyline Sync for them next week so their data flows.",
        {SOLUTION, NO_CUSTOMER, NO_IMPACT},
    ),
    ("They want better reporting.", {NO_IMPACT, NO_WHY_NOW}),
    ("Their reporting is slow and the team is frustrated.", {NO_IMPACT, NO_WHY_NOW}),
    (
        "Our platform gives them seamless, end-to-end visibility, which is a game-changer "
        "before their audit in May.",
        {SOLUTION, JARGON, NO_CUSTOMER, NO_IMPACT},
    ),
    (
        "We need to fix our integration so we keep the deal.",
        {SOLUTION, WE, NO_CUSTOMER, NO_IMPACT, NO_WHY_NOW},
    ),
    (LONG_GOOD, {TOO_LONG}),
    (
        "Not a problem for us: their warehouse loses $12k a week to picking errors and peak "
        "season starts in October.",
        {NO_PROBLEM},
    ),
    (
        "Leverage synergy to move the needle on their churn before renewal.",
        {JARGON},
    ),
    (
        "Easy fix: they just need SSO turned on before go-live.",
        {NO_PROBLEM, NO_CUSTOMER, NO_IMPACT},
    ),
    (
        "I can fix their VPN issue myself this afternoon, it's a quick fix.",
        {SOLUTION, NO_PROBLEM, NO_IMPACT},
    ),
    (
        "Skyline Insights would give them the dashboards they asked for.",
        {SOLUTION, NO_CUSTOMER, NO_IMPACT, NO_WHY_NOW},
    ),
    (
        "We're worried we'll lose this deal to a competitor if we don't show value.",
        {WE, NO_WHY_NOW},
    ),
    ("SSO.", {NO_CUSTOMER, NO_IMPACT, NO_WHY_NOW}),
    (
        "By buying our connector their finance team could close two days sooner, saving $50k "
        "before the fiscal year-end.",
        {SOLUTION},
    ),
    ("We can, we can, we can.", {WE, NO_CUSTOMER, NO_IMPACT, NO_WHY_NOW}),
    (
        "Our best-of-breed suite will replace their robust but slow legacy stack, and we will "
        "roll out the scalable version in Q2 so that our team can support their users.",
        {SOLUTION, WE, JARGON, NO_IMPACT},
    ),
    (
        LONG_GOOD + " No problem though, we can sort that out with Skyline before March.",
        {TOO_LONG, NO_PROBLEM, SOLUTION},
    ),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[f"p{i:02}" for i in range(len(TABLE))])
def test_the_table(text: str, expected: set[FindingKind]) -> None:
    result = review(text, RULES, customer="Acme Corp")
    assert set(result.kinds) == expected, [(f.kind.value, f.quotes) for f in result.findings]
    assert 0 <= result.score <= 100
    if not expected:
        assert result.score == 100 and result.verdict.startswith("Ready")


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 30
    assert sum(1 for _, expected in TABLE if not expected) >= 10


def test_findings_quote_the_words_that_triggered_them() -> None:
    result = review("No problem, we can fix that with our platform and Skyline.", RULES)
    quotes = {finding.kind: finding.quotes for finding in result.findings}
    assert quotes[SOLUTION] == ("we can fix", "our platform", "Skyline")
    assert quotes[NO_PROBLEM] == ("No problem",)
    assert quotes[NO_CUSTOMER] == () and quotes[NO_WHY_NOW] == ()
    vague = review("Their reporting is slow and the team is frustrated.", RULES)
    assert {f.kind: f.quotes for f in vague.findings}[NO_IMPACT] == ("slow", "frustrated")


def test_jargon_and_product_names_come_from_config() -> None:
    text = "Their team wastes 3 days a month on the Frobnicator before the audit in June."
    assert review(text, Rules()).kinds == frozenset()
    strict = review(text, Rules(product_names=("Frobnicator",), jargon=("wastes",)))
    assert strict.kinds == {SOLUTION, JARGON}
    assert {f.kind: f.quotes for f in strict.findings}[JARGON] == ("wastes",)


def test_team_words_from_config_are_we_talk() -> None:
    text = "Team Falcon must demo before Friday; their clerks re-key 300 orders a day."
    assert review(text, Rules()).kinds == frozenset()
    assert review(text, Rules(team_words=("Team Falcon",))).kinds == {WE}


def test_reporting_what_they_said_is_not_we_talk_but_talk_about_our_side_is() -> None:
    for text in (
        "We heard Acme loses $20k a week in refunds and must fix it before the June audit.",
        "They told us refunds cost them $20k a week, and the June audit is coming.",
    ):
        assert review(text, RULES).kinds == frozenset(), text
    for text in (
        "Refunds cost them $20k a week before the June audit; our account team will call.",
        "Refunds cost them $20k a week before the June audit. I'll update our kickoff slides.",
        "Refunds cost them $20k a week before the June audit, so check with our engineers.",
    ):
        assert review(text, RULES).kinds == {WE}, text


# The shapes the issue names, none of them written in the labelled set.
SOLUTION_SHAPES = [
    "Refunds cost them $20k a week before the June audit; the analytics add-on we sell "
    "would catch it.",
    "Refunds cost them $20k a week before the June audit, and the answer is a mobile app "
    "with alerts.",
    "Refunds cost them $20k a week before the June audit, so they should buy the premium tier.",
]


@pytest.mark.parametrize("text", SOLUTION_SHAPES)
def test_our_offer_as_the_fix_is_solution_talk_without_the_usual_words(text: str) -> None:
    assert review(text, RULES).kinds == {SOLUTION}


@pytest.mark.parametrize(
    "text",
    [
        "Their order screen is clunky and the renewal is on 3 March.",
        "Users find the portal annoying; the contract ends in June.",
        "They want to improve onboarding eventually, before the Q3 launch.",
    ],
)
def test_vague_pain_is_not_business_impact(text: str) -> None:
    assert NO_IMPACT in review(text, RULES).kinds


@pytest.mark.parametrize(
    "text",
    [
        "Claims take 9 days to approve, which is worse this year than last.",
        "Their clerks lose 2 hours a day re-keying orders and want it faster someday.",
        "Returns cost them $8k a month, more than the year before.",
    ],
)
def test_a_comparison_or_a_wish_is_not_a_why_now(text: str) -> None:
    assert review(text, RULES).kinds == {NO_WHY_NOW}


@pytest.mark.parametrize(
    "word", ["best-of-breed", "cloud-native", "frictionless", "holistic", "digital-first"]
)
def test_buzzwords_outside_the_list_are_jargon_by_their_shape(word: str) -> None:
    text = f"Their clerks re-key 300 orders a day in a {word} way, and the audit is in May."
    result = review(text, Rules(jargon=()))
    assert result.kinds == {JARGON}
    assert {f.kind: f.quotes for f in result.findings}[JARGON] == (word,)
    assert JARGON in review("They want to leverage our data before Q3.", Rules(jargon=())).kinds


def test_customer_words_in_single_or_double_quotes_are_not_held_against_the_rep() -> None:
    for text in (
        "Their CFO said 'we can fix it with our platform, no problem' but loses $9k a week "
        "until the March audit.",
        "Their CFO said ‘our team leverages synergy’ and loses $9k a week until the March audit.",
        'Their CFO said "our team can fix it" and loses $9k a week until the March audit.',
    ):
        assert review(text, RULES).kinds == frozenset(), text


@pytest.mark.parametrize(
    "text",
    [
        "Budget is no problem for them; payroll errors hit 30 staff a month before the May audit.",
        "They have no problem with the price, but refunds cost $9k a week until the May audit.",
        "Money is not a problem for them, time is: triage takes 12 days until the May audit.",
    ],
)
def test_an_idiomatic_no_problem_is_not_a_brush_off(text: str) -> None:
    assert review(text, RULES).kinds == frozenset()


def test_no_customer_problem_scores_at_most_40_whatever_else_it_does() -> None:
    demo = (
        "I think the demo went well and they liked it a lot, we should follow up before Friday "
        "to close the money."
    )
    result = review(demo, RULES, customer="Acme Corp")
    assert NO_CUSTOMER in result.kinds and result.score <= 40
    assert "another pass" in result.verdict
    status = review("Budget approved; steering committee picks a vendor on 2 February.", RULES)
    assert NO_CUSTOMER in status.kinds and status.score <= 40


def test_advice_uses_the_deals_own_terms() -> None:
    result = review("Their reporting is slow and the team is frustrated.", RULES, customer="Acme")
    advice = {f.kind: f.advice for f in result.findings}
    assert "Acme" in advice[NO_IMPACT] and "Their reporting is slow" in advice[NO_IMPACT]
    assert "Acme" in advice[NO_WHY_NOW]
    offer = review(SOLUTION_SHAPES[2], RULES, customer="Acme")
    assert "“they should buy”" in offer.findings[0].advice
    assert "Refunds cost them $20k a week before the June audit" in offer.findings[0].advice


def test_score_falls_with_each_finding_and_advice_is_concrete() -> None:
    good = review(TABLE[0][0], RULES)
    bad = review("No problem, we can fix that with our platform.", RULES)
    assert good.score == 100 and bad.score == 0
    assert "Ready" in good.verdict and "another pass" in bad.verdict
    assert review("Their clerks re-key orders, costing $9k a week.", RULES).verdict.startswith(
        "Close"
    )
    for finding in bad.findings:
        assert finding.advice and finding.summary and finding.penalty > 0
    assert any("Names what it costs them" in s for s in good.strengths)


def test_too_long_is_measured_in_seconds_aloud() -> None:
    result = review(LONG_GOOD, RULES)
    (finding,) = result.findings
    assert result.words > RULES.max_words == 75
    assert f"{result.seconds_aloud} seconds" in finding.summary
    assert finding.quotes[0].startswith("…")
    relaxed = Rules(max_seconds_aloud=60)
    assert review(LONG_GOOD, relaxed).kinds == frozenset()


def test_findings_survive_a_round_trip_through_json() -> None:
    findings = review("No problem, we can fix that with our platform.", RULES).findings
    assert findings_from_json(findings_json(findings)) == findings
