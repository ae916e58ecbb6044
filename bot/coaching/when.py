"""Reading when a call is, the way people type it: "tomorrow 10am", "fri 14:30", "in 2h".

Times are read in the person's own time zone and turned into an aware UTC moment with
:mod:`zoneinfo`, so daylight-saving changes come out right: "tomorrow 10am" is 10:00 on
the wall clock whatever the offset is tomorrow, while "in 2h" is two real hours.

What is understood (case does not matter, "at" and "on" are optional):

* ``in 2h``, ``in 90 minutes``, ``in 1h30m``, ``in an hour``, ``in 2 days``
* a day and a time in either order: ``tomorrow 10am``, ``today 3pm``, ``fri 14:30``,
  ``next tuesday at 9:15am``, ``3pm on thursday``, ``nov 24 10:00``, ``24 nov 2026 4pm``,
  ``2026-11-24 10:00``
* a time alone, meaning today: ``15:30``, ``4pm``, ``noon``
* an ISO date-time, with or without an offset: ``2026-11-24T10:00``,
  ``2026-11-24T15:00Z``, ``2026-11-24T10:00-05:00``

A weekday means the next such day: today if that time is still ahead, otherwise a week
on; ``next fri`` is never today. A date without a year is the next such date.

Hand-written rather than a dependency: the forms above are what a slash command sees,
and the rules (which Friday, what a missing year means, refusing a wall-clock time
that a daylight-saving jump skips) stay visible and tested here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EXAMPLES = "`tomorrow 10am`, `fri 14:30`, `in 2h`, `today 3pm` or `2026-11-24 10:00`"
#: Calls further ahead than this are almost always a typo in the year.
HORIZON = timedelta(days=366)

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WEEKDAY = _alternatives(_WEEKDAYS)
_MONTH = _alternatives(_MONTHS)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY = (
    r"(?P<day>today|tomorrow|tmrw|tmr"
    rf"|(?:(?P<next>next|this)\s+)?(?P<weekday>{_WEEKDAY})"
    r"|(?P<iso_date>\d{4}-\d{2}-\d{2})"
    rf"|(?P<month_first>{_MONTH})\s+(?P<mf_day>\d{{1,2}}){_ORDINAL}(?:\s+(?P<mf_year>\d{{4}}))?"
    rf"|(?P<day_first>\d{{1,2}}){_ORDINAL}\s+(?P<df_month>{_MONTH})(?:\s+(?P<df_year>\d{{4}}))?)"
)
_TIME = (
    r"(?P<time>noon|midday"
    r"|(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<meridiem>am|pm|a\.m\.|p\.m\.)"
    r"|(?P<hour24>\d{1,2})[:.](?P<minute24>\d{2}))"
)
_DAY_TIME = re.compile(rf"^(?:on\s+)?{_DAY}\s+(?:at\s+)?{_TIME}$")
_TIME_DAY = re.compile(rf"^(?:at\s+)?{_TIME}\s+(?:on\s+)?{_DAY}$")
_TIME_ONLY = re.compile(rf"^(?:at\s+)?{_TIME}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}t\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
_RELATIVE = re.compile(r"^in\s+(?P<parts>.+)$")
_AMOUNT = re.compile(
    r"(?P<amount>\d+(?:[.,]\d+)?|an?|half\s+an?)\s*"
    r"(?P<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d)(?:\s+and\s+|\s+|,\s*)?"
)
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 24 * 60}


class WhenProblem(ValueError):
    """The text is not a usable call time; the message says why and how to write it."""


@dataclass(frozen=True)
class Reading:
    """What some text means as a moment, before checking that it is a sensible one."""

    #: The aware UTC moment.
    at: datetime
    #: The wall-clock time that was asked for, in the person's zone (naive).
    local: datetime
    #: ``False`` when a daylight-saving jump skips that wall-clock time.
    exists: bool = True


def interpret(text: str, *, now: datetime, tz: ZoneInfo) -> Reading | None:
    """What ``text`` means as a moment, or ``None`` when it is not a time at all.

    The moment may be in the past; :func:`read` checks that.
    """
    cleaned = re.sub(r"\s+", " ", text.strip().casefold().replace(",", " ")).strip()
    if not cleaned:
        return None
    local_now = now.astimezone(tz)
    if match := _RELATIVE.match(cleaned):
        minutes = _relative_minutes(match.group("parts"))
        if minutes is None:
            return None
        at = (now + timedelta(minutes=minutes)).astimezone(UTC)
        return Reading(at=at, local=at.astimezone(tz).replace(tzinfo=None))
    if _ISO.match(cleaned):
        return _iso(cleaned, tz)
    for pattern in (_DAY_TIME, _TIME_DAY, _TIME_ONLY):
        match = pattern.match(cleaned)
        if match is None:
            continue
        clock = _clock(match)
        if clock is None:
            return None
        day = _day(match, local_now, clock) if match.groupdict().get("day") else local_now.date()
        if day is None:
            return None
        return _local(datetime.combine(day, clock), tz)
    return None


def read(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """The UTC moment ``text`` names, or :class:`WhenProblem` saying what to write instead."""
    reading = interpret(text, now=now, tz=tz)
    if reading is None:
        raise WhenProblem(
            f"I couldn't read “{text.strip()}” as a time. Try {EXAMPLES} "
            f"(read in your time zone, {tz.key})."
        )
    check(reading, now=now, tz=tz)
    return reading.at


def check(reading: Reading, *, now: datetime, tz: ZoneInfo) -> None:
    """Refuse a moment that is skipped by the clocks, already past, or implausibly far."""
    if not reading.exists:
        later = reading.local + timedelta(hours=1)
        raise WhenProblem(
            f"{reading.local:%a %d %b} {reading.local:%H:%M} doesn't exist in {tz.key}: the "
            f"clocks jump forward that night. Did you mean {later:%H:%M}?"
        )
    if reading.at <= now:
        raise WhenProblem(
            f"{reading.local:%a %d %b %H:%M} ({tz.key}) has already passed. Pick a later "
            f"time, e.g. {EXAMPLES}."
        )
    if reading.at - now > HORIZON:
        raise WhenProblem(
            f"{reading.local:%d %b %Y} is more than a year away; is the year right? Try {EXAMPLES}."
        )


def _relative_minutes(parts: str) -> float | None:
    total = 0.0
    position = 0
    while position < len(parts):
        match = _AMOUNT.match(parts, position)
        if match is None or match.end() == position:
            return None
        amount_text = match.group("amount").replace(",", ".")
        if amount_text in {"a", "an"}:
            amount = 1.0
        elif amount_text.startswith("half"):
            amount = 0.5
        else:
            amount = float(amount_text)
        total += amount * _UNIT_MINUTES[match.group("unit")[0]]
        position = match.end()
    return total if total > 0 else None


def _clock(match: re.Match[str]) -> time | None:
    groups = match.groupdict()
    if groups["time"] in {"noon", "midday"}:
        return time(12, 0)
    if groups.get("hour24") is not None:
        hour, minute = int(groups["hour24"]), int(groups["minute24"])
    else:
        hour, minute = int(groups["hour"]), int(groups["minute"] or 0)
        if not 1 <= hour <= 12:
            return None
        afternoon = groups["meridiem"].startswith("p")
        hour = hour % 12 + (12 if afternoon else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _day(match: re.Match[str], local_now: datetime, clock: time) -> date | None:
    groups = match.groupdict()
    today = local_now.date()
    word = groups["day"]
    if word == "today":
        return today
    if word in {"tomorrow", "tmrw", "tmr"}:
        return today + timedelta(days=1)
    if groups.get("weekday"):
        ahead = (_WEEKDAYS[groups["weekday"]] - today.weekday()) % 7
        if ahead == 0 and (groups.get("next") == "next" or clock <= local_now.time()):
            ahead = 7
        return today + timedelta(days=ahead)
    try:
        if groups.get("iso_date"):
            return date.fromisoformat(groups["iso_date"])
        if groups.get("month_first"):
            month, day_number, year = (
                _MONTHS[groups["month_first"]],
                int(groups["mf_day"]),
                groups["mf_year"],
            )
        else:
            month, day_number, year = (
                _MONTHS[groups["df_month"]],
                int(groups["day_first"]),
                groups["df_year"],
            )
        if year is not None:
            return date(int(year), month, day_number)
        candidate = date(today.year, month, day_number)
        return candidate if candidate >= today else date(today.year + 1, month, day_number)
    except ValueError:  # 31 nov, 2026-02-30
        return None


def _iso(text: str, tz: ZoneInfo) -> Reading | None:
    try:
        parsed = datetime.fromisoformat(text.upper())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return _local(parsed, tz)
    at = parsed.astimezone(UTC)
    return Reading(at=at, local=at.astimezone(tz).replace(tzinfo=None))


def _local(wall: datetime, tz: ZoneInfo) -> Reading:
    """A wall-clock time in ``tz``: the earlier one when the clocks go back, and flagged
    when the clocks jump over it."""
    aware = wall.replace(tzinfo=tz, fold=0)
    at = aware.astimezone(UTC)
    exists = at.astimezone(tz).replace(tzinfo=None) == wall
    return Reading(at=at, local=wall, exists=exists)
