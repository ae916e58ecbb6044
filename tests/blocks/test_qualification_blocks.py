"""/qualify Block Kit: valid for Slack, inside its block limits, and saying the right things."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.views import View

from bot.blocks import qualification as blocks
from bot.coaching import qualification as rules
from bot.coaching.qualification import Answer, Recorded
from bot.config import Checklist, ChecklistItem
from bot.db.models import Deal, Person
from bot.services.qualification import Standing
from bot.slack.ids import Callback
from bot.slack.metadata import QualifyChecklist, QualifyDealDetails, QualifyNewDeal
from bot.standin.validation import check_view

AT = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
TZ = ZoneInfo("America/New_York")
META = QualifyChecklist(deal_id=1, framework="test")


def checklist(count: int) -> Checklist:
    return Checklist(
        key="test",
        name="Test framework",
        items=[
            ChecklistItem(
                key=f"item_{n}",
                title=f"Item {n} " + "t" * 60,
                why="w" * 200,
                question="q" * 299 + "?",
            )
            for n in range(count)
        ],
    )


def deal(close: date | None = date(2026, 12, 10)) -> Deal:
    return Deal(
        id=1,
        name="Acme <Corp>",
        name_key="acme <corp>",
        owner=Person(slack_user_id="U0REP0001"),
        amount=50_000,
        close_date=close,
    )


def standing(count: int, answers: dict[str, Answer] | None = None) -> Standing:
    found = checklist(count)
    latest = {
        key: Recorded(value, "e" * 2000, "U0REP0002", AT) for key, value in (answers or {}).items()
    }
    return Standing(deal(), found, tuple(rules.statuses(found, latest)))


def valid_modal(view: dict[str, object]) -> dict[str, object]:
    View(**view).validate_json()  # type: ignore[arg-type]
    assert check_view(view) == []
    return view


def test_the_walk_shows_one_item_with_back_and_next() -> None:
    first = valid_modal(blocks.walk_modal(standing(3), 0, tz=TZ, private_metadata=META))
    text = json.dumps(first)
    assert first["callback_id"] == Callback.QUALIFY_WALK
    assert "Item 0" in text and "Item 1" not in text
    assert "qualify_back" not in text and "qualify_next" in text
    assert json.loads(str(first["private_metadata"]))["index"] == "0"
    assert "Nobody has answered this yet" in text
    assert "Acme &lt;Corp&gt;" in text  # deal names are escaped in mrkdwn

    middle = valid_modal(
        blocks.walk_modal(
            standing(3, {"item_1": Answer.NO}), 1, tz=TZ, private_metadata=META, notice="Fix it"
        )
    )
    text = json.dumps(middle)
    assert "qualify_back" in text and '"Next"' in text and "Fix it" in text
    assert "Marked no by <@U0REP0002> on Mon 23 Nov 2026" in text
    answer_block = next(b for b in middle["blocks"] if b.get("block_id") == "qualify_answer.item_1")  # type: ignore[attr-defined]
    assert answer_block["element"]["initial_option"]["value"] == "no"

    last = valid_modal(blocks.walk_modal(standing(3), 2, tz=TZ, private_metadata=META))
    assert '"Finish"' in json.dumps(last)


def test_the_walk_ends_with_the_score_and_the_questions() -> None:
    view = valid_modal(
        blocks.finished_modal(standing(2, {"item_0": Answer.YES}), private_metadata=META)
    )
    text = json.dumps(view)
    assert "submit" not in view or view["submit"] is None
    assert "1 of 2 confirmed (50%)" in text and "Worth asking on your next call" in text


def test_thirty_items_all_at_once_stay_inside_a_modal() -> None:
    view = valid_modal(blocks.all_modal(standing(30), tz=TZ, private_metadata=META))
    assert len(view["blocks"]) <= 100  # type: ignore[arg-type]
    assert view["callback_id"] == Callback.QUALIFY_ALL


def test_the_summary_of_a_thirty_item_list_fits_a_message() -> None:
    answers = {f"item_{n}": Answer.YES for n in range(0, 30, 2)}
    text, message = blocks.summary(standing(30, answers), tz=TZ, today=TODAY)
    assert len(message) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in message)
    assert text.startswith("Acme <Corp>: 15 of 30 confirmed (50%)")
    dump = json.dumps(message)
    assert "Still open" in dump and "Confirmed by <@U0REP0002>" in dump
    assert "closes Thu 10 Dec 2026 (in 17 days)" in dump


def test_the_summary_of_a_deal_without_a_close_date_says_how_to_set_one() -> None:
    found = checklist(1)
    _, message = blocks.summary(
        Standing(deal(close=None), found, tuple(rules.statuses(found, {}))), tz=TZ, today=TODAY
    )
    assert "`/qualify Acme &lt;Corp&gt; details` sets one" in json.dumps(message)


def test_did_you_mean_offers_each_deal_and_the_new_name() -> None:
    text, message = blocks.did_you_mean("Acme Crop", [deal()], mode="summary", today=TODAY)
    assert "Did you mean *Acme &lt;Corp&gt;*?" in text
    buttons = [b["accessory"] for b in message if "accessory" in b]
    assert [json.loads(b["value"]) for b in buttons] == [
        {"deal_id": 1, "mode": "summary"},
        {"name": "Acme Crop", "mode": "summary"},
    ]


def test_the_reminder_lists_at_most_ten_gaps_with_their_questions() -> None:
    text, message = blocks.gap_nudge(standing(12, {"item_0": Answer.YES}), today=TODAY)
    assert text.startswith("Acme <Corp> is set to close in 17 days (Thu 10 Dec), and 11 of 12")
    dump = json.dumps(message, ensure_ascii=False)
    assert "…and 1 more" in dump and "Go through the checklist" in dump
    assert dump.count("?”") == 10
    assert len(message) <= 49  # room for the sweep's snooze buttons


def test_the_deal_forms() -> None:
    new = valid_modal(
        blocks.deal_modal(
            callback=Callback.QUALIFY_NEW_DEAL,
            name="Initech",
            owner="U0REP0001",
            amount=None,
            close_date=None,
            private_metadata=QualifyNewDeal(name="Initech"),
        )
    )
    ids = [b.get("block_id") for b in new["blocks"]]  # type: ignore[attr-defined]
    assert ids[1:] == ["deal", "deal_owner", "deal_amount", "close_date"]
    details = valid_modal(
        blocks.deal_modal(
            callback=Callback.QUALIFY_DEAL_DETAILS,
            name="Initech",
            owner="U0REP0001",
            amount=1200,
            close_date=date(2027, 1, 15),
            private_metadata=QualifyDealDetails(deal_id=1),
        )
    )
    by_id = {b.get("block_id"): b for b in details["blocks"]}  # type: ignore[attr-defined]
    assert by_id["deal"]["label"]["text"].startswith("Name (change it to rename")
    assert "2027-01-15" in json.dumps(details)
