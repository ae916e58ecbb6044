"""Handoff Block Kit: valid under slack_sdk's models and inside Slack's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks import handoff as blocks
from bot.coaching.expert_trap import assess
from bot.config import RevenueProfile
from bot.db.models import Deal, Handoff, HandoffState, Person
from bot.slack.ids import Callback
from bot.slack.metadata import NewHandoff

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make(state: HandoffState = HandoffState.OPEN, problem: str = "SSO <fails> & more") -> Handoff:
    rep = Person(slack_user_id="U0REP0001", display_name="Riley")
    se = Person(slack_user_id="U0SE00001", display_name="Sam")
    return Handoff(
        id=12,
        deal=Deal(name="Acme Corp"),
        rep=rep,
        assignee=se,
        state=state,
        problem=problem,
        business_impact="200 people locked out",
        tried="Re-uploaded metadata",
        deadline=date(2026, 11, 27),
        deal_value=1500,
        rep_hours=8,
        created_at=NOW,
    )


def valid_message(message: tuple[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    text, dicts = message
    assert text and len(dicts) <= 50
    for block in dicts:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()
    return dicts


def action_ids(dicts: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in dicts if b["type"] == "actions" for e in b["elements"]]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (HandoffState.OPEN, ["handoff_accept", "handoff_ask_detail", "handoff_decline"]),
        (HandoffState.ACCEPTED, ["handoff_resolve", "handoff_ask_detail", "handoff_reassign"]),
        (HandoffState.RESOLVED, []),
        (HandoffState.DECLINED, []),
    ],
)
def test_card_buttons_follow_the_state(state: HandoffState, expected: list[str]) -> None:
    dicts = valid_message(blocks.assignee_card(make(state)))
    assert action_ids(dicts) == expected


def test_user_text_is_escaped() -> None:
    dicts = valid_message(blocks.assignee_card(make()))
    rendered = str(dicts)
    assert "&lt;fails&gt; &amp; more" in rendered and "<fails>" not in rendered


def test_longest_allowed_problem_fits_a_section() -> None:
    valid_message(blocks.assignee_card(make(problem="word " * 400)))


def test_confirmation_shows_the_expert_trap() -> None:
    trap = assess(hours=8, deal_value=1500, profile=RevenueProfile(), threshold=3)
    text, dicts = blocks.rep_confirmation(make(), trap)
    valid_message((text, dicts))
    context = dicts[-1]["elements"][0]["text"]
    assert "$12,500" in context and "$1,500" in context and "below the 3.0x bar" in context


def test_list_is_valid_and_capped() -> None:
    many = [make() for _ in range(30)]
    dicts = valid_message(blocks.handoff_list(many, many, now=NOW))
    assert "…and 10 more." in str(dicts)
    empty_text, _ = blocks.handoff_list([], [], now=NOW)
    assert "no open handoffs" in empty_text


@pytest.mark.parametrize(
    "builder",
    [
        lambda h: blocks.acknowledge_nudge(h, business_hours=4),
        lambda h: blocks.escalation_for_manager(h, business_hours=8),
        lambda h: blocks.escalation_for_rep(h, managers=["U0MGR0001"]),
        lambda h: blocks.deadline_nudge(h),
        lambda h: blocks.detail_question(h, "U0SE00001", "Which IdP?"),
        lambda h: blocks.reassigned_card(h, "moved"),
    ],
)
def test_nudges_and_notes_are_valid(builder: Any) -> None:
    valid_message(builder(make()))


def test_modals_are_valid_views() -> None:
    views = [
        blocks.new_handoff_modal(
            private_metadata=NewHandoff(response_url="https://hooks.slack.com/x"),
            deal="Acme",
            problem="It fails",
            assignee="U0SE00001",
            deadline=date(2026, 11, 27),
        ),
        *(
            blocks.reason_modal(make(), callback)
            for callback in (
                Callback.HANDOFF_DECLINE,
                Callback.HANDOFF_ASK_DETAIL,
                Callback.HANDOFF_ANSWER_DETAIL,
                Callback.HANDOFF_REASSIGN,
            )
        ),
    ]
    for view in views:
        parsed = View(**view)
        parsed.validate_json()
        assert len(view["blocks"]) <= 100  # type: ignore[arg-type]
        assert len(view["private_metadata"]) <= 3000  # type: ignore[arg-type]


def test_home_view_is_valid_and_within_the_home_limit() -> None:
    from bot.blocks.home import HandoffRow, Line, Section, home_view

    def row(number: int, as_se: bool) -> HandoffRow:
        handoff = make()
        handoff.id = number
        return HandoffRow(handoff, "open, answer due in 3h", as_se=as_se)

    mine = [row(n, True) for n in range(60)]
    theirs = [row(100 + n, False) for n in range(60)]
    lines = [Line(f"line {n}") for n in range(60)]
    sections = [
        Section("as_se", "Assigned to you", mine, "none"),
        Section("as_rep", "Handed off by you", theirs, "none"),
        Section("gaps", "Gaps", lines, "none"),
        Section("calls", "Calls", [], "No calls scheduled."),
    ]
    for rows in (5, 15, 50):
        view = home_view(sections, now=NOW, rows_per_section=rows)
        View(**view).validate_json()
        assert view["type"] == "home" and len(view["blocks"]) <= 100
        ids = [b["block_id"] for b in view["blocks"] if "block_id" in b]
        assert len(ids) == len(set(ids))
    first = home_view(sections, now=NOW)
    rendered = str(first)
    assert "…and 55 more" in rendered and "home_show_more" in rendered
    assert "No calls scheduled." in rendered
    accept = [
        b for b in first["blocks"] if b.get("accessory", {}).get("action_id") == "handoff_accept"
    ]
    assert len(accept) == 5
