"""Time away: reading ``/coach away until <date> [reason]`` and an out-of-office Slack status.

A date is a day in the person's own time zone and counts whole: "away until Friday" means
no new work through the end of Friday where they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.coaching import when

#: Longest time away one command may set; further than this is probably a typo in the year.
LONGEST = timedelta(days=366)
REASON_MAX = 200
EXAMPLES = "`/coach away until Friday`, `/coach away until 12 Dec parental leave`"
#: Words the date may take ("next friday", "4 december 2026").
_MAX_DATE_WORDS = 4
#: What may stand between the date and the reason ("until Friday: offsite").
_SEPARATORS = ":,;.-–—"


class AwayProblem(ValueError):
    """The command cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class AwayRequest:
    #: The last day away, in the person's zone.
    until: date
    reason: str | None


@dataclass(frozen=True)
class SlackStatus:
    """The status part of a Slack profile (users.info ``profile``)."""

    text: str = ""
    emoji: str = ""
    #: Unix time the status clears; 0 when it never does.
    expiration: int = 0


def read_request(text: str, *, now: datetime, tz: ZoneInfo) -> AwayRequest:
    """``until <date> [reason]`` (``until`` may be left out) → the last day away and why."""
    words = text.split()
    if words and words[0].casefold() == "until":
        words = words[1:]
    if not words:
        raise AwayProblem(f"Say until when you're away, e.g. {EXAMPLES}.")
    today = now.astimezone(tz).date()
    for count in range(min(_MAX_DATE_WORDS, len(words)), 0, -1):
        day = _date(" ".join(words[:count]).rstrip(_SEPARATORS), now=now, tz=tz)
        if day is None:
            continue
        if day < today:
            raise AwayProblem(
                f"{day:%a %d %b %Y} has passed; name the last day you're away, e.g. {EXAMPLES}."
            )
        if day - today > LONGEST:
            raise AwayProblem(f"{day:%d %b %Y} is more than a year away; is the year right?")
        reason = " ".join(words[count:]).lstrip(_SEPARATORS + " ").strip() or None
        if reason is not None and len(reason) > REASON_MAX:
            raise AwayProblem(f"Keep the reason under {REASON_MAX} characters.")
        return AwayRequest(until=day, reason=reason)
    raise AwayProblem(
        f"I couldn't read “{' '.join(words[:_MAX_DATE_WORDS])}” as a date. Try {EXAMPLES} "
        f"(dates are read in your time zone, {tz.key})."
    )


def _date(text: str, *, now: datetime, tz: ZoneInfo) -> date | None:
    """The day ``text`` names, read as call times are (the last minute of it, so today counts)."""
    try:
        reading = when.interpret(f"{text} 23:59", now=now, tz=tz)
    except when.WhenProblem:
        return None
    return reading.local.date() if reading is not None else None


def back_at(until: date, tz: ZoneInfo) -> datetime:
    """The moment someone away through ``until`` takes work again: that day's end in ``tz``."""
    return datetime.combine(until + timedelta(days=1), time(0), tzinfo=tz)


def is_away(until: date, tz: ZoneInfo, *, now: datetime) -> bool:
    return now.astimezone(tz).date() <= until


def status_says_away(
    status: SlackStatus, *, now: datetime, words: Sequence[str], emoji: Sequence[str]
) -> bool:
    """An unexpired Slack status whose text has an out-of-office word or whose emoji is one."""
    if status.expiration and status.expiration <= now.timestamp():
        return False
    if status.emoji and status.emoji in emoji:
        return True
    folded = status.text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", folded) for w in words)


def status_line(status: SlackStatus) -> str:
    """How a status reads on a button or a reason: "🌴 Vacation" style, emoji code and text."""
    return " ".join(part for part in (status.emoji, status.text.strip()) if part)
