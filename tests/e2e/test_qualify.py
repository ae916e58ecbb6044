"""/qualify end to end: signed requests over HTTP to the real app, Slack played by the stand-in."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.coaching.qualification import Answer
from bot.config import DealCoachConfig, load_checklists
from bot.db.models import (
    Deal,
    DealEvent,
    DealEventKind,
    DealFramework,
    DueWork,
    DueWorkKind,
    DueWorkState,
    Person,
    QualificationAnswer,
)
from bot.standin import requests as slack_requests
from bot.standin.driver import Reply, find_element
from bot.standin.store import StoredView
from tests.conftest import MANAGER, REP, REP2, SE1
from tests.e2e.conftest import Bot
from tests.e2e.test_handoff import card, last_ephemeral

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
DEFAULT_KEYS = [
    "qualified",
    "economic_buyer_met",
    "business_case",
    "deadlines",
    "pitfalls",
    "differentiators",
]


@pytest.fixture
def config(config: DealCoachConfig) -> DealCoachConfig:
    checklists, problems = load_checklists(CONFIG_DIR)
    assert problems == []
    # The manager's weekly digest would count among the sweep's sends here.
    quiet = config.reports.model_copy(update={"weekly_digest": False})
    return config.with_checklists(checklists).model_copy(update={"reports": quiet})


# --- playing the person ------------------------------------------------------------------------


def qualify(bot: Bot, text: str, user: str = REP) -> Reply:
    reply = bot.slack.command(user, text, command="/qualify")
    assert reply.status == 200
    bot.settle()
    return reply


def modal(bot: Bot, callback: str) -> StoredView:
    """The newest open modal with this callback id."""
    found = [v for v in bot.standin.views.values() if v.callback_id == callback]
    assert found, f"no {callback} modal is open"
    return found[-1]


def item(key: str, answer: str | None, evidence: str | None = None) -> dict[str, str | None]:
    return {f"qualify_answer.{key}": answer, f"qualify_evidence.{key}": evidence}


def _state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    if element["type"] == "radio_buttons":
        options = {o["value"]: o for o in element["options"]}
        return {"type": "radio_buttons", "selected_option": options.get(value)}
    return {"type": element["type"], "value": value}


def press_in_modal(
    bot: Bot, user: str, view: StoredView, action_id: str, values: dict[str, Any]
) -> None:
    """Press a button inside an open modal, with its inputs filled in as Slack reports them."""
    state = {}
    for block in view.blocks:
        if block.get("type") != "input":
            continue
        element = block["element"]
        initial = element.get("initial_value") or (element.get("initial_option") or {}).get("value")
        value = values.get(block["block_id"], initial)
        state[block["block_id"]] = {element["action_id"]: _state(element, value)}
    payload = {**view.payload, "state": {"values": state}}
    block_id, element = find_element(view.blocks, action_id)
    body = slack_requests.block_actions(
        user_id=user,
        team_id=bot.slack.team_id,
        action_id=action_id,
        value=element.get("value"),
        block_id=block_id,
        trigger_id=bot.standin.new_trigger_id(user),
        view=payload,
    )
    assert bot.slack.post(body).status == 200
    bot.settle()


def showing(view: StoredView) -> str | None:
    """The item key a walk view shows (None on the closing view)."""
    for block in view.blocks:
        prefix, _, key = str(block.get("block_id", "")).partition(".")
        if prefix == "qualify_answer":
            return key
    return None


def create_deal(bot: Bot, name: str = "Acme Corp", close: str = "2026-12-10") -> Reply:
    qualify(bot, name)
    reply = bot.slack.submit(
        REP, modal(bot, "qualify_new_deal"), {"deal_amount": "50000", "close_date": close}
    )
    bot.settle()
    return reply


def answers(bot: Bot) -> list[tuple[str, Answer, str | None, str]]:
    with bot.session_factory() as session:
        rows = session.execute(
            select(
                QualificationAnswer.item_key,
                QualificationAnswer.answer,
                QualificationAnswer.evidence,
                Person.slack_user_id,
            )
            .join(Person, Person.id == QualificationAnswer.answered_by_id)
            .order_by(QualificationAnswer.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def deal_count(bot: Bot) -> int:
    with bot.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Deal)) or 0


# --- the tests ----------------------------------------------------------------------------------


def test_help_and_usage_come_back_in_the_ack(bot: Bot) -> None:
    assert "/qualify Acme Corp all" in qualify(bot, "help").body
    assert "Which deal?" in qualify(bot, "summary").body
    assert [c.method for c in bot.standin.calls if c.method != "auth.test"] == []


def test_a_new_deal_is_asked_for_once_and_created_only_on_submit(bot: Bot) -> None:
    qualify(bot, "Initech")
    form = modal(bot, "qualify_new_deal")
    assert deal_count(bot) == 0

    # An amount that doesn't read is refused first, with an example of how to write one …
    reply = bot.slack.submit(REP, form, {"deal_amount": "-5", "close_date": "2026-11-01"})
    errors = reply.json()["errors"]
    assert set(errors) == {"deal_amount"}
    assert "can't be negative" in errors["deal_amount"] and "40k" in errors["deal_amount"]
    # … then what it means is checked: a close date in the past.
    reply = bot.slack.submit(REP, form, {"deal_amount": "$48,000", "close_date": "2026-11-01"})
    errors = reply.json()["errors"]
    assert set(errors) == {"close_date"}
    assert "in the past" in errors["close_date"]
    bot.settle()
    assert deal_count(bot) == 0

    reply = bot.slack.submit(REP, form, {"deal_amount": "48000", "close_date": "2026-12-10"})
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == "qualify_walk"  # straight on to the first item
    bot.settle()
    with bot.session_factory() as session:
        deal = session.scalars(select(Deal)).one()
        assert (deal.name, deal.amount, deal.close_date) == ("Initech", 48000, date(2026, 12, 10))
        assert deal.owner is not None and deal.owner.slack_user_id == REP
        reminder = session.scalars(select(DueWork)).one()
        assert reminder.kind is DueWorkKind.QUALIFICATION_GAPS and reminder.deal_id == deal.id
    assert "Added *Initech*" in last_ephemeral(bot, REP)


def test_the_walk_saves_each_answer_and_resumes_at_the_first_unanswered(bot: Bot) -> None:
    create_deal(bot)
    qualify(bot, "acme corp")
    walk = modal(bot, "qualify_walk")
    assert showing(walk) == "qualified"
    assert find_element(walk.blocks, "qualify_next")
    with pytest.raises(Exception, match="qualify_back"):
        find_element(walk.blocks, "qualify_back")

    press_in_modal(bot, REP, walk, "qualify_next", item("qualified", "yes", "CFO set budget"))
    walk = bot.standin.views[walk.id]
    assert showing(walk) == "economic_buyer_met"

    press_in_modal(bot, REP, walk, "qualify_back", item("economic_buyer_met", "unknown"))
    walk = bot.standin.views[walk.id]
    assert showing(walk) == "qualified"
    assert '"value": "yes"' in json.dumps(walk.blocks)  # what was saved is shown again
    press_in_modal(bot, REP, walk, "qualify_next", {})  # unchanged: no new row
    walk = bot.standin.views[walk.id]
    assert '"value": "unknown"' in json.dumps(walk.blocks)

    reply = bot.slack.submit(REP, walk, item("economic_buyer_met", "no", "Never met the CFO"))
    assert reply.status == 200 and reply.body == ""  # "Save and close"
    bot.settle()
    assert answers(bot) == [
        ("qualified", Answer.YES, "CFO set budget", REP),
        ("economic_buyer_met", Answer.UNKNOWN, None, REP),
        ("economic_buyer_met", Answer.NO, "Never met the CFO", REP),
    ]
    saved = last_ephemeral(bot, REP)
    assert "1 of 6 confirmed" in saved and "picks up at *Business case understood*" in saved

    qualify(bot, "Acme Corp")
    assert showing(modal(bot, "qualify_walk")) == "business_case"


def test_a_walk_to_the_end_shows_the_score(bot: Bot) -> None:
    create_deal(bot)
    qualify(bot, "Acme Corp using bant")
    walk = modal(bot, "qualify_walk")
    for key, value in (("budget", "yes"), ("authority", "no"), ("need", "yes"), ("timeline", None)):
        assert showing(walk) == key
        press_in_modal(bot, REP, walk, "qualify_next", item(key, value))
        walk = bot.standin.views[walk.id]
    assert showing(walk) is None
    text = json.dumps(walk.blocks, ensure_ascii=False)
    assert "BANT" in text and "2 of 4 confirmed (50%)" in text
    assert "Who besides you takes part in the decision" in text
    with bot.session_factory() as session:
        assert session.scalar(select(DealFramework.framework)) == "bant"


def test_a_bad_answer_in_the_walk_stays_put_and_saves_nothing(bot: Bot) -> None:
    create_deal(bot)
    qualify(bot, "Acme Corp")
    walk = modal(bot, "qualify_walk")
    press_in_modal(bot, REP, walk, "qualify_next", item("qualified", None, "They hinted at it"))
    walk = bot.standin.views[walk.id]
    assert showing(walk) == "qualified"
    assert "Pick yes, no or unknown" in json.dumps(walk.blocks)
    assert answers(bot) == []


def test_all_at_once_refuses_long_evidence_and_writes_nothing_until_it_is_fixed(
    bot: Bot,
) -> None:
    create_deal(bot)
    qualify(bot, "Acme Corp all")
    form = modal(bot, "qualify_all")
    assert sum(1 for b in form.blocks if b["type"] == "input") == 12

    too_long = "x" * 2001
    reply = bot.slack.submit(
        REP,
        form,
        item("qualified", "yes", too_long) | item("deadlines", None, "End of quarter?"),
    )
    errors = reply.json()["errors"]
    assert set(errors) == {"qualify_evidence.qualified", "qualify_answer.deadlines"}
    assert "2,001 characters" in errors["qualify_evidence.qualified"]
    bot.settle()
    assert answers(bot) == []

    reply = bot.slack.submit(
        REP,
        form,
        item("qualified", "yes", "x" * 2000)
        | item("economic_buyer_met", "unknown")
        | item("deadlines", "no", "No date yet"),
    )
    assert reply.body == ""
    bot.settle()
    assert [(key, value) for key, value, _, _ in answers(bot)] == [
        ("qualified", Answer.YES),
        ("economic_buyer_met", Answer.UNKNOWN),
        ("deadlines", Answer.NO),
    ]


def test_summary_shows_the_score_each_gap_with_its_question_and_who_confirmed_when(
    bot: Bot,
) -> None:
    create_deal(bot)
    qualify(bot, "Acme Corp all")
    bot.slack.submit(
        REP,
        modal(bot, "qualify_all"),
        item("qualified", "yes", "Budget approved") | item("economic_buyer_met", "unknown"),
    )
    bot.settle()
    bot.clock.advance(timedelta(days=1))
    forms_open = len(bot.standin.views)
    qualify(bot, "Acme Corp summary", user=REP2)
    summary = last_ephemeral(bot, REP2)
    assert "1 of 6 confirmed (17%)" in summary
    assert "Economic buyer met*: unknown" in summary
    assert "who has to agree before this gets signed" in summary
    assert f"Confirmed by <@{REP}> on Mon 23 Nov 2026" in summary
    assert "Budget approved" in summary
    assert len(bot.standin.views) == forms_open  # a summary opens no form


def test_a_name_close_to_a_deal_gets_did_you_mean_and_writes_nothing(bot: Bot) -> None:
    create_deal(bot)
    views_before = len(bot.standin.views)
    qualify(bot, "Acme Crop")
    assert len(bot.standin.views) == views_before  # no new-deal form for a likely typo
    assert deal_count(bot) == 1
    choice = bot.standin.ephemerals(REP)[-1]
    assert "Did you mean *Acme Corp*?" in choice.text

    bot.slack.click(REP, choice, "qualify_pick_deal")
    bot.settle()
    walk = modal(bot, "qualify_walk")
    assert "Acme Corp" in json.dumps(walk.blocks)

    bot.slack.click(REP, choice, "qualify_new_deal")
    bot.settle()
    form = modal(bot, "qualify_new_deal")
    assert json.loads(form.private_metadata)["name"] == "Acme Crop"
    assert deal_count(bot) == 1


def test_summary_of_an_unknown_deal_says_how_to_add_it(bot: Bot) -> None:
    qualify(bot, "Initech summary")
    assert "`/qualify Initech` adds it" in last_ephemeral(bot, REP)
    assert bot.standin.views == {} and deal_count(bot) == 0


def test_an_unknown_framework_gets_a_clear_message_and_nothing_is_written(bot: Bot) -> None:
    create_deal(bot)
    qualify(bot, "Acme Corp using medpicc")
    message = last_ephemeral(bot, REP)
    assert "I don't know a framework called medpicc" in message
    assert "Did you mean *meddpicc*?" in message
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(DealFramework)) == 0
    qualify(bot, "Globex using medpicc")
    assert deal_count(bot) == 1 and len(bot.standin.views) == 1


def test_details_change_the_close_date_and_move_the_reminder(bot: Bot) -> None:
    create_deal(bot)
    qualify(bot, "Acme Corp details")
    form = modal(bot, "qualify_deal_details")
    reply = bot.slack.submit(REP, form, {"close_date": "2026-11-20"})
    assert "in the past" in reply.json()["errors"]["close_date"]
    bot.settle()
    bot.slack.submit(REP, form, {"close_date": "2026-12-31", "deal_owner": REP2})
    bot.settle()
    with bot.session_factory() as session:
        deal = session.scalars(select(Deal)).one()
        assert deal.close_date == date(2026, 12, 31) and deal.amount == 50000
        (due,) = session.scalars(select(DueWork).where(DueWork.state == DueWorkState.DUE)).all()
        assert due.recipient_slack_id == REP2
        assert due.due_at == datetime(2026, 12, 17, 15, 0, tzinfo=UTC)  # 09:00 in Chicago
    assert "Updated *Acme Corp*" in last_ephemeral(bot, REP)


def test_a_handoff_for_a_deal_with_gaps_shows_them_to_the_se(bot: Bot) -> None:
    create_deal(bot)
    qualify(bot, "Acme Corp all")
    bot.slack.submit(
        REP,
        modal(bot, "qualify_all"),
        item("qualified", "yes") | item("economic_buyer_met", "unknown"),
    )
    bot.settle()
    bot.slack.command(REP, f"<@{SE1}|sam> Acme Corp: SSO with Okta fails for EU users")
    bot.settle()
    text = json.dumps(card(bot).blocks)
    assert "Open qualification gaps on this deal" in text
    assert "Economic buyer met: unknown" in text
    assert "Deal qualified" not in text


def test_the_owner_is_reminded_of_gaps_before_close_once_per_interval(bot: Bot) -> None:
    create_deal(bot)  # closes Thu 10 Dec; the reminder is due Thu 26 Nov, 09:00 New York
    qualify(bot, "Acme Corp all")
    bot.slack.submit(
        REP,
        modal(bot, "qualify_all"),
        {k: v for key in DEFAULT_KEYS[:4] for k, v in item(key, "yes").items()},
    )
    bot.settle()
    bot.clock.advance(timedelta(days=3, hours=4, minutes=59))
    assert bot.sweeper.run_once().claimed == 0
    bot.clock.advance(timedelta(minutes=2))
    assert bot.sweeper.run_once().sent == 1
    reminders = [m for m in bot.standin.dm_messages(REP) if "set to close" in m.text]
    assert len(reminders) == 1
    text = json.dumps(reminders[0].blocks, ensure_ascii=False)
    assert "2 of 6 checklist items are still open" in text
    assert "What has stopped projects like this one" in text
    assert "Economic buyer" not in text  # answered yes

    bot.clock.advance(timedelta(days=1))
    assert bot.sweeper.run_once().sent == 0  # at most one a week

    # The button in the DM opens the checklist where it is still open.
    bot.slack.click(REP, reminders[0], "qualify_open")
    bot.settle()
    assert showing(modal(bot, "qualify_walk")) == "pitfalls"

    # Everything confirmed meanwhile: next week's reminder is not sent.
    bot.slack.submit(
        REP,
        modal(bot, "qualify_walk"),
        item("pitfalls", "yes"),
    )
    qualify(bot, "Acme Corp all")
    bot.slack.submit(REP, modal(bot, "qualify_all"), item("differentiators", "yes"))
    bot.settle()
    bot.clock.advance(timedelta(days=7))
    assert bot.sweeper.run_once().sent == 0
    assert len([m for m in bot.standin.dm_messages(REP) if "set to close" in m.text]) == 1


def test_details_rename_the_deal_unless_another_deal_has_that_name(bot: Bot) -> None:
    create_deal(bot)
    create_deal(bot, "Globex")
    qualify(bot, "Acme Corp details")
    form = modal(bot, "qualify_deal_details")
    taken = bot.slack.submit(REP, form, {"deal": "GLOBEX inc", "close_date": "2026-12-31"})
    assert "already a deal" in taken.json()["errors"]["deal"]
    assert "/coach merge" in taken.json()["errors"]["deal"]
    bot.settle()
    bot.slack.submit(REP, form, {"deal": "Acme Corporation EMEA", "close_date": "2026-12-31"})
    bot.settle()
    with bot.session_factory() as session:
        names = set(session.scalars(select(Deal.name)))
        assert names == {"Acme Corporation EMEA", "Globex"}
        (event,) = session.scalars(select(DealEvent)).all()
        assert event.kind is DealEventKind.RENAMED and "Acme Corp" in event.detail


def test_only_the_deals_owner_or_an_se_manager_may_rename_it(bot: Bot) -> None:
    create_deal(bot)  # REP owns it
    qualify(bot, "Acme Corp details", user=REP2)
    form = modal(bot, "qualify_deal_details")
    refused = bot.slack.submit(REP2, form, {"deal": "Acme Global"})
    error = refused.json()["errors"]["deal"]
    assert "owner or an SE manager" in error
    bot.settle()
    with bot.session_factory() as session:
        assert set(session.scalars(select(Deal.name))) == {"Acme Corp"}
        assert session.scalars(select(DealEvent)).all() == []

    qualify(bot, "Acme Corp details", user=MANAGER)
    form = modal(bot, "qualify_deal_details")
    bot.slack.submit(MANAGER, form, {"deal": "Acme Global"})
    bot.settle()
    with bot.session_factory() as session:
        assert set(session.scalars(select(Deal.name))) == {"Acme Global"}
