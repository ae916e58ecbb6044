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
            private_metadata={"response_url": "https://hooks.slack.com/x"},
            deal="Acme",
            problem="It fails",
            assignee="U0SE00001",
            deadline=date(2026, 11, 27),
        ),
        *(
            blocks.reason_modal(make(), callback)
            for callback in Callback
            if callback is not Callback.HANDOFF_NEW
        ),
    ]
    for view in views:
        parsed = View(**view)
        parsed.validate_json()
        assert len(view["blocks"]) <= 100  # type: ignore[arg-type]
        assert len(view["private_metadata"]) <= 3000  # type: ignore[arg-type]


def test_home_view_is_valid_and_within_the_home_limit() -> None:
    from bot.blocks.home import home_view

    many = [make() for _ in range(60)]
    view = home_view(many, many, now=NOW)
    View(**view).validate_json()
    assert view["type"] == "home" and len(view["blocks"]) <= 100


def test_card_shows_the_deals_context() -> None:
    from bot.services.deal_context import DealContext

    context = DealContext(
        gaps=("Economic buyer met: unknown",), paraphrase="EU staff can't sign in"
    )
    dicts = valid_message(blocks.assignee_card(make(), context))
    rendered = str(dicts)
    assert "Economic buyer met: unknown" in rendered and "EU staff can't sign in" in rendered
