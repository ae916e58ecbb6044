"""/handoff end to end: signed requests over HTTP to the real app, Slack played by the stand-in."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import Deal, Handoff, HandoffEvent, HandoffEventKind, HandoffState
from bot.standin.store import Message
from tests.conftest import MANAGER, OUTSIDER, REP, SE1, SE2
from tests.e2e.conftest import Bot

pytestmark = pytest.mark.usefixtures("known_deals")

QUICK = f"<@{SE1}|sam> Acme Corp: SSO with Okta fails for EU users"


def handoff_states(bot: Bot) -> list[HandoffState]:
    with bot.session_factory() as session:
        return list(session.scalars(select(Handoff.state).order_by(Handoff.id)))


def last_ephemeral(bot: Bot, user_id: str) -> str:
    messages = bot.standin.ephemerals(user_id)
    assert messages, f"{user_id} got no private reply"
    return messages[-1].text + json.dumps(messages[-1].blocks or [])


def card(bot: Bot, se: str = SE1) -> Message:
    messages = [
        m for m in bot.standin.dm_messages(se) if m.blocks and m.blocks[0]["type"] == "header"
    ]
    assert messages, f"{se} has no handoff card"
    return messages[-1]


def buttons(message: Message) -> list[str]:
    return [
        e["action_id"]
        for b in message.blocks or []
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def test_unsigned_stale_or_forged_requests_get_401_and_change_nothing(bot: Bot) -> None:
    from bot.standin.driver import slash_command

    body = slash_command(
        bot.standin, command="/handoff", text=QUICK, user_id=REP, channel_id="C0DEALS01"
    )
    assert bot.slack.post(body, signed=False).status == 401
    assert bot.slack.post(body, signing_secret="not-the-secret").status == 401
    assert bot.slack.post(body, timestamp=int(time.time()) - 600).status == 401
    bot.settle()
    assert handoff_states(bot) == []
    assert bot.standin.calls == []


def test_quick_handoff_accept_and_resolve(bot: Bot) -> None:
    reply = bot.slack.command(REP, QUICK)
    assert reply.status == 200
    bot.settle()

    se_card = card(bot)
    assert "SSO with Okta fails for EU users" in json.dumps(se_card.blocks)
    assert buttons(se_card) == ["handoff_accept", "handoff_ask_detail", "handoff_decline"]
    confirmation = last_ephemeral(bot, REP)
    assert f"<@{SE1}>" in confirmation and "$12,500" in confirmation

    assert bot.slack.click(SE1, se_card, "handoff_accept").status == 200
    bot.settle()
    accepted = card(bot)
    assert buttons(accepted) == ["handoff_resolve", "handoff_ask_detail", "handoff_reassign"]
    history = json.dumps(accepted.blocks)
    assert "*History*" in history and f"accepted by <@{SE1}>" in history
    thread = bot.standin.replies(accepted.channel, accepted.ts)
    assert "accepted" in thread[-1].text
    assert any("accepted" in m.text for m in bot.standin.dm_messages(REP))

    bot.slack.click(SE1, accepted, "handoff_resolve")
    bot.settle()
    (form,) = [v for v in bot.standin.views.values() if v.callback_id == "handoff_resolve"]
    bot.slack.submit(SE1, form, {"note": "Fixed by the EU metadata URL"})
    bot.settle()
    assert handoff_states(bot) == [HandoffState.RESOLVED]
    assert buttons(card(bot)) == []
    with bot.session_factory() as session:
        kinds = session.scalars(select(HandoffEvent.kind).order_by(HandoffEvent.id)).all()
    assert kinds == [HandoffEventKind.OPENED, HandoffEventKind.ACCEPTED, HandoffEventKind.RESOLVED]


def test_someone_else_pressing_accept_is_refused_privately(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    # Answered at once (no 404 after Slack's three seconds), refused in private.
    assert bot.slack.click(OUTSIDER, card(bot), "handoff_accept").status == 200
    bot.settle()
    assert "Only the assigned SE or an SE manager can accept" in last_ephemeral(bot, OUTSIDER)
    assert handoff_states(bot) == [HandoffState.OPEN]
    # The SE manager may act on it.
    bot.slack.click(MANAGER, card(bot), "handoff_accept")
    bot.settle()
    assert handoff_states(bot) == [HandoffState.ACCEPTED]


def test_bad_quick_input_says_how_to_write_it_and_writes_nothing(bot: Bot) -> None:
    assert bot.slack.command(REP, f"<@{SE1}|sam> Acme: " + "x" * 2100).status == 200
    bot.settle()
    assert "under 2,000" in last_ephemeral(bot, REP)

    bot.slack.command(REP, "<@U0NOBODY1|ghost> Acme: SSO fails")
    bot.settle()
    assert "can't find <@U0NOBODY1>" in last_ephemeral(bot, REP)

    reply = bot.slack.command(REP, "@sam Acme: SSO fails")
    assert "/handoff @se Deal name:" in reply.body  # answered in the ack itself
    bot.settle()
    assert handoff_states(bot) == []
    assert bot.standin.calls_to("chat.postMessage") == []


def test_bare_handoff_opens_the_form_and_field_errors_go_back_into_it(bot: Bot) -> None:
    bot.slack.command(REP, "Acme Corp")
    bot.settle()
    (view,) = bot.standin.views.values()
    assert view.callback_id == "handoff_new"

    past = (bot.clock.now() - timedelta(days=3)).date().isoformat()
    reply = bot.slack.submit(REP, view, {"problem": "   ", "deadline": past})
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"problem", "deadline"}
    assert "in the past" in answer["errors"]["deadline"]
    bot.settle()
    assert handoff_states(bot) == []

    reply = bot.slack.submit(
        REP,
        view,
        {
            "problem": "Nightly export times out after 10k rows",
            "business_impact": "Finance can't close the month",
            "deal_value": "1500",
            "rep_hours": "8",
            "assignee": SE2,
        },
    )
    assert reply.status == 200 and reply.body == ""
    bot.settle()
    assert handoff_states(bot) == [HandoffState.OPEN]
    assert "Finance can't close the month" in json.dumps(card(bot, SE2).blocks)
    confirmation = last_ephemeral(bot, REP)
    assert "$1,500" in confirmation and "below the 3.0x bar" in confirmation


def test_decline_asks_a_reason_and_tells_the_rep(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.slack.click(SE1, card(bot), "handoff_decline")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "handoff_decline"]
    assert bot.slack.submit(SE1, view, {"reason": " "}).json()["response_action"] == "errors"
    bot.slack.submit(SE1, view, {"reason": "Identity team owns Okta; ask Dana"})
    bot.settle()
    assert handoff_states(bot) == [HandoffState.DECLINED]
    assert any("Ask Dana" in m.text or "ask Dana" in m.text for m in bot.standin.dm_messages(REP))


def test_ask_for_detail_round_trip(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.slack.click(SE1, card(bot), "handoff_ask_detail")
    bot.settle()
    (ask,) = [v for v in bot.standin.views.values() if v.callback_id == "handoff_ask_detail"]
    bot.slack.submit(SE1, ask, {"question": "Which IdP version?"})
    bot.settle()
    question = bot.standin.dm_messages(REP)[-1]
    assert "Which IdP version?" in json.dumps(question.blocks)
    bot.slack.click(REP, question, "handoff_answer_detail")
    bot.settle()
    (answer,) = [v for v in bot.standin.views.values() if v.callback_id == "handoff_answer_detail"]
    bot.slack.submit(REP, answer, {"answer": "Okta 2024.10, all EU tenants"})
    bot.settle()
    se_card = card(bot)
    assert "Okta 2024.10" in bot.standin.replies(se_card.channel, se_card.ts)[-1].text


def test_reassign_moves_the_card(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.slack.click(SE1, card(bot), "handoff_accept")
    bot.settle()
    bot.slack.click(SE1, card(bot), "handoff_reassign")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "handoff_reassign"]
    bot.slack.submit(SE1, view, {"assignee": SE2})
    bot.settle()
    assert buttons(card(bot, SE2)) == ["handoff_accept", "handoff_ask_detail", "handoff_decline"]
    old = bot.standin.dm_messages(SE1)[-1]
    assert "reassigned" in old.text and buttons(old) == []


def test_list_and_home_show_my_open_handoffs(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.slack.command(SE1, "list")
    bot.settle()
    assert "Acme Corp" in last_ephemeral(bot, SE1) and "Assigned to you" in last_ephemeral(bot, SE1)
    assert bot.slack.open_home(REP).status == 200
    bot.settle()
    home = bot.standin.home(REP)
    assert home is not None and "Handed off by you" in json.dumps(home.blocks)


def test_url_verification_and_health(bot: Bot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}).encode()
    assert bot.slack.post(body).json() == {"challenge": "c-123"}
    health_url = bot.slack.events_url.replace("/slack/events", "/healthz")
    import urllib.request

    with urllib.request.urlopen(health_url, timeout=5) as response:  # noqa: S310
        assert json.loads(response.read()) == {"status": "ok"}


def test_a_handoff_with_no_se_named_is_routed_round_robin(bot: Bot) -> None:
    bot.slack.command(REP, "Acme Corp: SSO fails")
    bot.settle()
    bot.clock.advance(timedelta(minutes=1))
    bot.slack.command(REP, "Globex: API limits")
    bot.settle()
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 2
    card(bot, SE1)
    card(bot, SE2)


def _deals(bot: Bot) -> list[str]:
    with bot.session_factory() as session:
        return sorted(session.scalars(select(Deal.name)))


def test_the_forms_deal_is_a_typeahead_and_a_new_deal_is_made_only_at_submit(bot: Bot) -> None:
    bot.slack.command(REP, "")
    bot.settle()
    (view,) = bot.standin.views.values()
    before = _deals(bot)

    typed = bot.slack.suggest(REP, view, "deal", "Umbrella Labs")
    assert typed.texts[-1] == "Create “Umbrella Labs”"
    assert _deals(bot) == before  # asking for options writes nothing
    problem = {"problem": "Nightly export times out after 10k rows", "assignee": SE2}
    bot.slack.submit(REP, view, {"deal": typed.choices[-1][1], **problem})
    bot.settle()
    assert _deals(bot) == sorted([*before, "Umbrella Labs"])

    bot.slack.command(REP, "")
    bot.settle()
    view = list(bot.standin.views.values())[-1]
    known = bot.slack.suggest(REP, view, "deal", "Acme")
    text, value = next(choice for choice in known.choices if choice[0] == "Acme Corp")
    bot.slack.submit(REP, view, {"deal": value, **problem})
    bot.settle()
    assert _deals(bot) == sorted([*before, "Umbrella Labs"])  # the picked deal, not a new one
    with bot.session_factory() as session:
        named = session.scalars(select(Deal.name).join(Handoff).order_by(Handoff.id)).all()
    assert named == ["Umbrella Labs", text]
