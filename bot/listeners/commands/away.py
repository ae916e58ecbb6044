"""`/coach away until <date> [reason]` and `/coach back`: time away that routing respects."""

from __future__ import annotations

from bot.blocks import routing_forms
from bot.listeners.acting import Caller
from bot.services import away
from bot.slack.messenger import reply_privately


def set_away(caller: Caller, *, text: str, response_url: str | None) -> None:
    """Read the date in the caller's own zone, record it, and say back what was read."""
    with caller.acting() as (session, who):
        period = away.set_away(
            session=session,
            person=who.person,
            text=text,
            config=caller.deps.config,
            now=caller.now(),
        )
        reply = routing_forms.away_set(period.until, period.reason, period.time_zone)
    reply_privately(caller.client, user_id=caller.user_id, response_url=response_url, text=reply)


def come_back(caller: Caller, *, text: str, response_url: str | None) -> None:
    """`/coach back` (anything after the word is ignored)."""
    with caller.acting() as (session, who):
        ended = away.back(session=session, person=who.person, now=caller.now())
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=response_url,
        text=routing_forms.back_reply(ended is not None),
    )
