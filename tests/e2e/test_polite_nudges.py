"""Nudges people do not mute: working hours, snooze, digests, settings and App Home."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import HandoffEvent, HandoffEventKind, Snooze
from bot.standin.store import Message
from tests.conftest import MANAGER, OUTSIDER, REP, SE1
from tests.e2e.conftest import PEOPLE, Bot
from tests.e2e.test_handoff import QUICK, card

pytestmark = pytest.mark.usefixtures("known_deals")


def posts_since(bot: Bot, count: int) -> list[tuple[str, dict[str, object]]]:
    """(recipient, args) of chat.postMessage calls after the first ``count``."""
    channels = {bot.standin.dm_channel(user): user for user in PEOPLE}
    found = []
    for call in bot.standin.calls_to("chat.postMessage")[count:]:
        if call.ok:
            channel = str(call.args["channel"])
            found.append((channels.get(channel, channel), call.args))
    return found


def in_working_hours(user: str, at: datetime) -> bool:
    local = at.astimezone(ZoneInfo(PEOPLE[user][1]))
    return local.weekday() < 5 and 9 <= local.hour < 17


def test_nothing_is_sent_outside_working_hours_sydney_rep_berlin_se(bot: Bot) -> None:
    # Friday 17:00 in Berlin (Saturday 03:00 in Sydney): the Sydney rep hands off.
    bot.clock.advance(timedelta(days=4, hours=7))
    bot.slack.command(OUTSIDER, QUICK)
    bot.settle()
    seen = len(bot.standin.calls_to("chat.postMessage"))
    sent: list[tuple[str, datetime]] = []
    for _ in range(6 * 24):  # sweep every hour for six days
        bot.clock.advance(timedelta(hours=1))
        bot.sweeper.run_once()
        now = bot.clock.now()
        new = posts_since(bot, seen)
        seen += len(new)
        sent += [(user, now) for user, _ in new]
    assert sent, "no nudge was ever sent"
    outside = [(user, at) for user, at in sent if not in_working_hours(user, at)]
    assert outside == []
    # The SLA counted business hours: nothing before Monday 13:00 in Berlin.
    first_se = min(at for user, at in sent if user == SE1)
    assert first_se.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %H") == "Mon 13"
    assert any(user == OUTSIDER for user, _ in sent)  # the rep heard too, in Sydney hours


def nudge(bot: Bot) -> Message:
    se_card = card(bot)
    return [m for m in bot.standin.replies(se_card.channel, se_card.ts) if "waiting" in m.text][-1]


def test_snooze_a_day_holds_my_nudges_and_is_in_the_history(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.clock.advance(timedelta(hours=4, minutes=1))
    assert bot.sweeper.run_once().sent == 1
    assert bot.slack.click(SE1, nudge(bot), "snooze_day").status == 200
    bot.settle()
    assert "Snoozed: no nudges about handoff #1" in bot.standin.ephemerals(SE1)[-1].text

    # Tuesday 10:00 Berlin: step 2. The manager hears; the SE's own nudge waits for the snooze.
    bot.clock.advance(timedelta(hours=20))
    report = bot.sweeper.run_once()
    assert report.deferred >= 1
    assert any("has not been accepted" in m.text for m in bot.standin.dm_messages(MANAGER))
    assert (
        len(
            [m for m in bot.standin.replies(card(bot).channel, card(bot).ts) if "waiting" in m.text]
        )
        == 1
    )
    bot.clock.advance(timedelta(hours=4))  # the snooze ends at 14:01 Berlin
    bot.sweeper.run_once()
    assert "Checking in again" in nudge(bot).text
    with bot.session_factory() as session:
        event = session.scalars(
            select(HandoffEvent).where(HandoffEvent.kind == HandoffEventKind.SNOOZED)
        ).one()
        assert event.actor is not None and event.actor.slack_user_id == SE1


def test_snooze_until_a_date_needs_a_reason(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.clock.advance(timedelta(hours=4, minutes=1))
    bot.sweeper.run_once()
    bot.slack.click(SE1, nudge(bot), "snooze_until")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "snooze_until"]
    reply = bot.slack.submit(SE1, view, {"snooze_until": "2026-11-23", "snooze_reason": " "})
    assert set(reply.json()["errors"]) == {"snooze_until", "snooze_reason"}
    bot.slack.submit(
        SE1, view, {"snooze_until": "2026-11-30", "snooze_reason": "Customer on holiday"}
    )
    bot.settle()
    with bot.session_factory() as session:
        snooze = session.scalars(select(Snooze)).one()
        assert snooze.reason == "Customer on holiday"
        # Nudges resume at the start of that working day, in the SE's time zone.
        assert snooze.until.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %d %H:%M") == (
            "Mon 30 09:00"
        )
    # The SE manager sees it, and why, on their App Home.
    bot.slack.open_home(MANAGER)
    bot.settle()
    home = bot.standin.home(MANAGER)
    assert home is not None
    assert "Snoozed on your team" in json.dumps(home.blocks)
    assert "Customer on holiday" in json.dumps(home.blocks)


def test_many_nudges_at_once_come_as_one_capped_digest(bot: Bot) -> None:
    for n in range(7):
        bot.slack.command(REP, f"<@{SE1}|sam> Deal {n}: SSO fails for EU users")
    bot.settle()
    seen = len(bot.standin.calls_to("chat.postMessage"))
    bot.clock.advance(timedelta(hours=4, minutes=1))
    report = bot.sweeper.run_once()
    assert (report.sent, report.digests) == (7, 1)
    (post,) = posts_since(bot, seen)
    recipient, args = post
    blocks = json.loads(str(args["blocks"])) if isinstance(args["blocks"], str) else args["blocks"]
    rendered = json.dumps(blocks)
    assert recipient == SE1 and "7 things are waiting for you" in rendered
    assert "and 2 more" in rendered
    assert rendered.count('"handoff_accept"') == 5
    assert bot.sweeper.run_once().claimed == 0


def test_coach_settings_daily_digest(bot: Bot) -> None:
    bot.slack.command(SE1, "settings", command="/coach")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "coach_settings"]
    bad = bot.slack.submit(SE1, view, {"work_start": "18:00", "work_end": "09:00"})
    assert "end after it starts" in bad.json()["errors"]["work_end"]
    bot.slack.submit(
        SE1,
        view,
        {
            "work_start": "08:00",
            "work_end": "16:00",
            "work_days": "mon,tue,wed,thu",
            "digest_at": "15:00",
        },
    )
    bot.settle()
    assert "one digest a day at 15:00" in bot.standin.ephemerals(SE1)[-1].text

    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.clock.advance(timedelta(hours=5))  # 15:00 Berlin, past the 4h SLA (from 10:00)
    # Mon 10:00 + 4 business hours of an 08:00–16:00 day = 14:00; the digest is at 15:00.
    report = bot.sweeper.run_once()
    assert report.sent == 1  # it is 15:00 in Berlin: digest time
    bot.clock.advance(timedelta(hours=22))  # Tuesday 13:00 Berlin: step 2 waits for 15:00
    assert bot.sweeper.run_once().deferred >= 1


def test_coach_help_and_unknown_words(bot: Bot) -> None:
    reply = bot.slack.command(REP, "help", command="/coach")
    for command in ("/handoff", "/qualify", "/precall", "/debrief", "/coach settings"):
        assert command in reply.body
    assert "/coach settings" in bot.slack.command(REP, "bogus", command="/coach").body


def test_home_shows_sla_state_and_acts_in_place(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.slack.open_home(SE1)
    bot.settle()
    home = bot.standin.home(SE1)
    assert home is not None
    rendered = json.dumps(home.blocks)
    assert "Assigned to you" in rendered and "answer due in 4h" in rendered
    assert "Your settings" in rendered and "Europe/Berlin" in rendered
    bot.slack.click_in_view(SE1, home, "handoff_accept")
    bot.settle()
    home = bot.standin.home(SE1)
    assert home is not None and "accepted" in json.dumps(home.blocks)
    assert "handoff_resolve" in json.dumps(home.blocks)
