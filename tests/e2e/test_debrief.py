"""/debrief end to end: write, get checked, revise, send to the SE, confirm or correct.

The confirmed problem then shows on every later handoff card and pre-call DM for the deal.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Paraphrase
from bot.standin.store import Message, StoredView
from tests.conftest import OUTSIDER, REP, SE1, SE2
from tests.e2e.conftest import Bot
from tests.e2e.test_handoff import card
from tests.e2e.test_precall import config, precall, tip_dms  # noqa: F401 - the config fixture

pytestmark = pytest.mark.usefixtures("known_deals")

BAD = "No problem, we can fix that with Skyline."
GOOD = (
    "Finance loses three days every month-end reconciling invoices by hand, and the "
    "auditors arrive in March."
)


def debrief_view(bot: Bot) -> StoredView:
    views = [v for v in bot.standin.views.values() if v.callback_id == "debrief"]
    assert views, "no debrief form was opened"
    return views[-1]


def last_dm(bot: Bot, user: str) -> Message:
    messages = bot.standin.dm_messages(user)
    assert messages, f"{user} got no DM"
    return messages[-1]


def shown(message: Message) -> str:
    return message.text + json.dumps(message.blocks or [], ensure_ascii=False)


def versions(bot: Bot) -> list[Paraphrase]:
    with bot.session_factory() as session:
        return list(session.scalars(select(Paraphrase).order_by(Paraphrase.version)))


def write_and_send(bot: Bot, text: str = GOOD) -> Message:
    """Riley debriefs Acme Corp for Sam and sends it; returns Sam's card."""
    bot.slack.command(REP, "Acme Corp", command="/debrief")
    bot.settle()
    bot.slack.submit(REP, debrief_view(bot), {"paraphrase": text, "se": SE1})
    bot.settle()
    bot.slack.click(REP, last_dm(bot, REP), "debrief_send")
    bot.settle()
    return last_dm(bot, SE1)


def test_write_revise_send_confirm_and_see_it_on_later_cards(bot: Bot) -> None:
    assert bot.slack.command(REP, "Acme Corp", command="/debrief").status == 200
    bot.settle()
    view = debrief_view(bot)
    assert {b["block_id"] for b in view.blocks if b["type"] == "input"} == {
        "deal",
        "paraphrase",
        "se",
    }
    bot.slack.submit(REP, view, {"paraphrase": BAD, "se": SE1})
    bot.settle()
    review = last_dm(bot, REP)
    assert "scores 0/100" in review.text
    assert "“we can fix”" in shown(review) and "“Skyline”" in shown(review)
    assert "“No problem”" in shown(review)

    # Revise: the form comes back with the last version in it.
    bot.slack.click(REP, review, "debrief_revise")
    bot.settle()
    revise = debrief_view(bot)
    fields = {b["block_id"]: b["element"] for b in revise.blocks if b["type"] == "input"}
    assert fields["paraphrase"]["initial_value"] == BAD and fields["se"]["initial_user"] == SE1
    bot.slack.submit(REP, revise, {"paraphrase": GOOD})
    bot.settle()
    review = last_dm(bot, REP)
    assert "(v2) scores 100/100" in review.text and "Ready to say back" in shown(review)
    assert [v.version for v in versions(bot)] == [1, 2]

    bot.slack.click(REP, review, "debrief_send")
    bot.settle()
    assert "Sent to <@U0SE00001>" in shown(bot.standin.dm_messages(REP)[-1])
    se_card = last_dm(bot, SE1)
    assert GOOD in shown(se_card) and "Is it what you heard?" in se_card.text

    # Only the SE (or their manager) may confirm.
    bot.slack.click(OUTSIDER, se_card, "debrief_confirm")
    bot.settle()
    assert "Only the SE it was sent to" in bot.standin.ephemerals(OUTSIDER)[-1].text

    bot.slack.click(SE1, se_card, "debrief_confirm")
    bot.settle()
    assert "confirmed your paraphrase for Acme Corp" in last_dm(bot, REP).text
    answered = bot.standin.dm_messages(SE1)[-1]
    assert "Confirmed by <@U0SE00001>" in shown(answered)
    assert "debrief_confirm" not in shown(answered)
    assert versions(bot)[-1].confirmed_at is not None

    # A later handoff on the deal carries the confirmed problem to its SE.
    bot.slack.command(REP, f"<@{SE2}|sasha> Acme Corp: the nightly export times out")
    bot.settle()
    handoff_card = card(bot, SE2)
    assert "as confirmed on this deal" in shown(handoff_card) and GOOD in shown(handoff_card)

    # …and so does the next pre-call DM.
    precall(bot, "Acme Corp in 1h demo")
    bot.clock.advance(timedelta(minutes=31))
    bot.sweeper.run_once()
    (dm,) = tip_dms(bot, REP)
    assert "The customer's problem, as confirmed" in shown(dm) and GOOD in shown(dm)
    assert "start-from-the-problem" in shown(dm)


def test_the_se_can_correct_it_in_their_own_words(bot: Bot) -> None:
    se_card = write_and_send(bot)
    bot.slack.click(SE1, se_card, "debrief_correct")
    bot.settle()
    (form,) = [v for v in bot.standin.views.values() if v.callback_id == "debrief_correct"]
    reply = bot.slack.submit(SE1, form, {"correction": "  "})
    assert reply.json()["response_action"] == "errors"
    corrected = "Month-end takes them five days, not three, and the audit moved to February."
    bot.slack.submit(SE1, form, {"correction": corrected})
    bot.settle()
    assert "corrected your paraphrase" in last_dm(bot, REP).text
    assert corrected in shown(last_dm(bot, REP))
    assert versions(bot)[-1].correction == corrected
    bot.slack.command(REP, f"<@{SE2}|sasha> Acme Corp: export times out")
    bot.settle()
    assert corrected in shown(card(bot, SE2))


def test_form_errors_go_back_into_the_form_and_nothing_is_saved(bot: Bot) -> None:
    bot.slack.command(REP, "", command="/debrief")
    bot.settle()
    view = debrief_view(bot)
    answer = bot.slack.submit(REP, view, {"deal": " ", "paraphrase": " ", "se": REP}).json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"deal", "paraphrase", "se"}
    answer = bot.slack.submit(
        REP, view, {"deal": "Acme", "paraphrase": GOOD, "se": "U0NOBODY1"}
    ).json()
    assert "can't find <@U0NOBODY1>" in answer["errors"]["se"]
    assert versions(bot) == []


def test_without_an_se_there_is_nothing_to_send_yet(bot: Bot) -> None:
    bot.slack.command(REP, "Globex", command="/debrief")
    bot.settle()
    bot.slack.submit(REP, debrief_view(bot), {"paraphrase": GOOD})
    bot.settle()
    review = last_dm(bot, REP)
    assert "No SE named" in shown(review) and "debrief_send" not in shown(review)


def test_the_form_suggests_the_se_from_the_deals_handoff(bot: Bot) -> None:
    bot.slack.command(REP, f"<@{SE2}|sasha> Acme Corp: SSO fails for EU users")
    bot.settle()
    bot.slack.command(REP, "acme corp", command="/debrief")
    bot.settle()
    fields = {b["block_id"]: b["element"] for b in debrief_view(bot).blocks if b["type"] == "input"}
    assert (
        fields["deal"]["initial_option"]["text"]["text"] == "Acme Corp"
        and fields["se"]["initial_user"] == SE2
    )


def test_help(bot: Bot) -> None:
    assert "/debrief Acme Corp" in bot.slack.command(REP, "help", command="/debrief").body
