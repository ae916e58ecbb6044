"""Pre-call and debrief Block Kit: valid, inside Slack's limits, and saying the right things."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.blocks import debrief as debrief_blocks
from bot.blocks import precall as precall_blocks
from bot.coaching.paraphrase import Rules, findings_json, review
from bot.config import CallType, Tip, load_tips
from bot.db.models import Call, Deal, Handoff, HandoffState, Paraphrase, Person
from bot.standin.validation import check_blocks, check_view

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
TIPS, _ = load_tips(Path(__file__).resolve().parents[2] / "config")
RILEY = Person(slack_user_id="U0REP0001", display_name="Riley")
SAM = Person(slack_user_id="U0SE00001", display_name="Sam")


def make_call(se: Person | None = SAM) -> Call:
    return Call(
        id=7,
        deal=Deal(name="Acme <Corp> & Co"),
        rep=RILEY,
        se=se,
        call_type=CallType.DEMO,
        starts_at=NOW + timedelta(minutes=30),
        length_minutes=60,
    )


def valid(blocks: list[dict[str, object]], limit: int = 50) -> str:
    assert check_blocks(blocks, limit=limit) == []
    return json.dumps(blocks, ensure_ascii=False)


def test_tips_dm_carries_deal_state_and_feedback_buttons_per_tip() -> None:
    handoff = Handoff(
        id=3,
        problem="SSO with Okta fails " * 20,
        assignee=SAM,
        state=HandoffState.ACCEPTED,
    )
    text, blocks = precall_blocks.tips_dm(
        make_call(),
        recipient=RILEY.slack_user_id,
        tips=TIPS[:5],
        deal=precall_blocks.DealLines(
            confirmed_problem="They lose 3 days a month. " * 200,
            gaps=tuple(f"Gap {i}: unknown" for i in range(30)),
            open_handoffs=(handoff,) * 9,
        ),
        tz=BERLIN,
        now=NOW,
    )
    shown = valid(blocks)
    assert text.startswith("Demo with Acme <Corp> & Co in 30 minutes")
    assert "10:30" in shown and "with <@U0SE00001>" in shown and "<@U0REP0001>" not in shown
    assert blocks[0]["text"]["text"] == "Demo with Acme <Corp> & Co, 10:30"  # type: ignore[index]
    assert "<Corp>" not in json.dumps(blocks[1:])
    assert "accepted, in progress" in shown and "Open qualification gaps" in shown
    buttons = [b for b in blocks if b["type"] == "actions"]
    assert len(buttons) == 5
    assert {b["block_id"] for b in buttons} == {f"tip.{tip.id}" for tip in TIPS[:5]}
    assert all(e["value"] == f"7:{b['block_id'][4:]}" for b in buttons for e in b["elements"])  # type: ignore[index]


def test_feedback_replaces_only_that_tips_buttons() -> None:
    _, blocks = precall_blocks.tips_dm(
        make_call(),
        recipient=SAM.slack_user_id,
        tips=TIPS[:3],
        deal=precall_blocks.DealLines(),
        tz=BERLIN,
        now=NOW,
    )
    after = precall_blocks.with_feedback(blocks, tip_id=TIPS[1].id, helpful=True)
    valid(after)
    assert len([b for b in after if b["type"] == "actions"]) == 2
    assert "You found this helpful" in json.dumps(after)


def test_confirmation_list_and_debrief_request() -> None:
    call = make_call(se=None)
    text, blocks = precall_blocks.confirmation(call, tz=BERLIN, tips_at=NOW)
    shown = valid(blocks)
    assert "Mon 23 Nov, 10:30" in text and "with @se" in shown
    _, blocks = precall_blocks.call_list([make_call()] * 25, me=RILEY.slack_user_id, tz=BERLIN)
    assert "…and 5 more" in valid(blocks)
    _, blocks = precall_blocks.debrief_request(make_call())
    assert "debrief_open" in valid(blocks)


def make_version(text: str, se: Person | None = SAM) -> tuple[Paraphrase, object]:
    result = review(text, Rules(product_names=("Skyline",)))
    version = Paraphrase(
        id=4,
        version=2,
        deal=Deal(name="Acme Corp"),
        author=RILEY,
        se=se,
        text=text,
        score=result.score,
        findings=findings_json(result.findings),
    )
    return version, result


def test_review_shows_score_findings_quotes_and_the_next_steps() -> None:
    version, result = make_version("No problem, we can fix that with our Skyline platform.")
    text, blocks = debrief_blocks.review_message(version, result)  # type: ignore[arg-type]
    shown = valid(blocks)
    assert f"scores {result.score}/100" in text and result.score <= 20  # type: ignore[attr-defined]
    assert "“we can fix”" in shown and "“No problem”" in shown
    assert [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]] == [
        "debrief_revise",
        "debrief_send",
    ]
    lonely, result = make_version("x " * 1990, se=None)
    _, blocks = debrief_blocks.review_message(lonely, result)  # type: ignore[arg-type]
    assert "No SE named" in valid(blocks)
    _, sent = debrief_blocks.sent_note(version, result)  # type: ignore[arg-type]
    assert "Sent to <@U0SE00001>" in valid(sent) and not [b for b in sent if b["type"] == "actions"]


def test_se_card_and_its_answer() -> None:
    version, _ = make_version("They lose three days every month-end before the audit.")
    _, blocks = debrief_blocks.se_card(version)
    assert "debrief_confirm" in valid(blocks)
    version.correction = "Five days, not three."
    _, answered = debrief_blocks.se_card_answered(version, SAM.slack_user_id)
    shown = valid(answered)
    assert "Corrected by <@U0SE00001>" in shown and "debrief_confirm" not in shown
    assert "Five days" in debrief_blocks.verdict_line(version, SAM.slack_user_id)


def test_modals_are_valid() -> None:
    view = debrief_blocks.debrief_modal(
        deal="Acme Corp", text="They lose", se="U0SE00001", call_id=7, response_url=None
    )
    assert check_view(view) == []
    assert json.loads(str(view["private_metadata"]))["call_id"] == "7"
    version, _ = make_version("They lose three days every month-end before the audit.")
    assert check_view(debrief_blocks.correct_modal(version)) == []


def test_a_tip_longer_than_slack_allows_is_refused_by_the_config() -> None:
    import pydantic
    import pytest

    with pytest.raises(pydantic.ValidationError):
        Tip(id="x-long", roles=["rep"], text="y" * 401, idea="because")
