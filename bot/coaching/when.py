"""Reading when a call is, the way people type it: "tomorrow 10am", "fri 14:30", "in 2h".

Times are read in the person's own time zone and turned into an aware UTC moment with
:mod:`zoneinfo`, so daylight-saving changes come out right: "tomorrow 10am" is 10:00 on
the wall clock whatever the offset is tomorrow, while "in 2h" is two real hours.

What is understood (case does not matter, "at" and "on" are optional):

* ``in 2h``, ``in 90 minutes``, ``in 1h30m``, ``in an hour``, ``in two hours``, ``in 2 days``
* a day and a time in either order: ``tomorrow 10am``, ``today 3pm``, ``fri 14:30``,
  ``next tuesday at 9:15am``, ``3pm on thursday``, ``nov 24 10:00``, ``24 nov 2026 4pm``,
  ``2026-11-24 10:00``, ``11/26 10am`` (month or day first: the person's or the team's
  ``date_order``; when only one order makes a date, that one), ``26.11. 10:00``
* a time alone, meaning today: ``15:30``, ``4pm``, ``noon``
* any of those followed by a zone, which wins over the person's: ``tomorrow 10am CET``,
  ``fri 9am PT``, ``10:00 Europe/London`` (see :mod:`bot.coaching.time_zones`)
* an ISO date-time, with or without an offset: ``2026-11-24T10:00``,
  ``2026-11-24T15:00Z``, ``2026-11-24T10:00-05:00``

A weekday means the next such day: today if that time is still ahead, otherwise a week
on; ``next fri`` is never today. A date without a year is the next such date, unless it
passed in the last :data:`RECENT_PAST` (then it is this year's, and refused as past).

Strict: a date that does not exist ("nov 31", "2027-02-30") raises
:class:`ImpossibleDate`, and an hour without am/pm after a day ("tomorrow 7") raises
:class:`AmbiguousTime`, rather than being read as something else. Splitting a deal name
from its time, and unknown words where the day should be, live in
:mod:`bot.coaching.when_split`.

Hand-written rather than a dependency: ``bench/when_parsers.py`` weighs it against
``dateparser`` and ``parsedatetime`` on the table in ``tests/coaching/when_table.py``;
both libraries read impossible dates and past days as some other moment, which for a
call is worse than an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.coaching.calendar_words import MONTHS, NUMBER_WORDS, WEEKDAYS
from bot.coaching.time_zones import zone_named

DateOrder = Literal["month_first", "day_first"]
EXAMPLES = "`tomorrow 10am`, `fri 14:30`, `in 2h`, `today 3pm` or `2026-11-24 10:00`"
#: Calls further ahead than this are almost always a typo in the year.
HORIZON = timedelta(days=366)
#: A date without a year that passed this recently is a mistake, not next year's.
RECENT_PAST = timedelta(days=90)


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WEEKDAY = _alternatives(WEEKDAYS)
_MONTH = _alternatives(MONTHS)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY = (
    r"(?P<day>today|tomorrow|tmrw|tmr|yesterday"
    rf"|(?:(?P<next>next|this)\s+)?(?P<weekday>{_WEEKDAY})"
    r"|(?P<iso_date>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<num_a>\d{1,2})(?P<num_sep>[/.])(?P<num_b>\d{1,2})(?:(?P=num_sep)(?P<num_year>\d{4}|\d{2}))?\.?"
    rf"|(?P<month_first>{_MONTH})\s+(?P<mf_day>\d{{1,2}}){_ORDINAL}(?:\s+(?P<mf_year>\d{{4}}))?"
    rf"|(?P<day_first>\d{{1,2}}){_ORDINAL}\s+(?P<df_month>{_MONTH})(?:\s+(?P<df_year>\d{{4}}))?)"
)
_TIME = (
    r"(?P<time>noon|midday"
    r"|(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<meridiem>am|pm|a\.m\.|p\.m\.)"
    r"|(?P<hour24>\d{1,2})[:.](?P<minute24>\d{2})"
    r"|(?P<bare_hour>\d{1,2}))"
)
_DAY_TIME = re.compile(rf"^(?:on\s+)?{_DAY}\s+(?:at\s+)?{_TIME}$")
_TIME_DAY = re.compile(rf"^(?:at\s+)?{_TIME}\s+(?:on\s+)?{_DAY}$")
_TIME_ONLY = re.compile(rf"^(?:at\s+)?{_TIME}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}t\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
_RELATIVE = re.compile(r"^in\s+(?P<parts>.+)$")
_AMOUNT = re.compile(
    rf"(?P<amount>\d+(?:[.,]\d+)?|{_alternatives(NUMBER_WORDS)}|an?|half\s+an?)\s*"
    r"(?P<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)(?:\s+and\s+|\s+|,\s*)?"
)
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}


class WhenProblem(ValueError):
    """The text is not a usable call time; the message says why and how to write it."""


class NotATime(WhenProblem):
    pass


class ImpossibleDate(WhenProblem):
    """The text has the shape of a date, but no such day exists ("nov 31")."""


class AmbiguousTime(WhenProblem):
    """An hour that could be morning or evening ("tomorrow 7")."""


class UnknownWord(WhenProblem):
    """A word where the day should be that is no day ("blursday", "tomorow")."""


class InThePast(WhenProblem):
    pass


class TooFarAhead(WhenProblem):
    pass


class SkippedByClocks(WhenProblem):
    pass


@dataclass(frozen=True)
class Reading:
    """What some text means as a moment, before checking that it is a sensible one."""

    #: The aware UTC moment.
    at: datetime
    #: The wall-clock time that was asked for, in ``zone`` (naive).
    local: datetime
    #: ``False`` when a daylight-saving jump skips that wall-clock time.
    exists: bool = True
    #: The zone it was read in: the person's, or the one written after the time.
    zone: ZoneInfo | None = None
    #: How something open to two readings was read, to say back ("11/12 read as 12 Nov").
    notes: tuple[str, ...] = ()


#: Slack locales that write the month first ("11/26"); every other locale writes the day first.
_MONTH_FIRST_LOCALES = frozenset({"en-us", "en_us", "es-us", "en-ph", "en-ca"})


def date_order_for(locale: str | None, default: DateOrder) -> DateOrder:
    """How a person writes "11/12": from their Slack locale ("en-GB"), else the team's."""
    if not locale:
        return default
    return "month_first" if locale.casefold() in _MONTH_FIRST_LOCALES else "day_first"


def interpret(
    text: str, *, now: datetime, tz: ZoneInfo, date_order: DateOrder = "month_first"
) -> Reading | None:
    """What ``text`` means as a moment, or ``None`` when it is not a time at all.

    Raises :class:`ImpossibleDate` or :class:`AmbiguousTime` when it has the shape of a
    time that cannot be read. The moment may be in the past; :func:`check` says so.
    """
    cleaned = re.sub(r"\s+", " ", text.strip().casefold().replace(",", " ")).strip()
    if not cleaned:
        return None
    words = cleaned.split(" ")
    if len(words) > 1 and (zone := zone_named(words[-1])) is not None:
        reading = _interpret(" ".join(words[:-1]), now=now, tz=zone, date_order=date_order)
        if reading is None:
            return None
        note = f"read in {zone.key}, as written" if zone.key != tz.key else ""
        return replace(reading, notes=(*reading.notes, note) if note else reading.notes)
    return _interpret(cleaned, now=now, tz=tz, date_order=date_order)


def _interpret(
    cleaned: str, *, now: datetime, tz: ZoneInfo, date_order: DateOrder
) -> Reading | None:
    local_now = now.astimezone(tz)
    if match := _RELATIVE.match(cleaned):
        minutes = _relative_minutes(match.group("parts"))
        if minutes is None:
            return None
        at = (now + timedelta(minutes=minutes)).astimezone(UTC)
        return Reading(at=at, local=at.astimezone(tz).replace(tzinfo=None), zone=tz)
    if _ISO.match(cleaned):
        return _iso(cleaned, tz)
    for pattern in (_DAY_TIME, _TIME_DAY, _TIME_ONLY):
        match = pattern.match(cleaned)
        if match is None:
            continue
        groups = match.groupdict()
        if groups["bare_hour"] is not None and pattern is _TIME_ONLY:
            return None
        clock = _clock(match, cleaned)
        if clock is None:
            return None
        notes: tuple[str, ...] = ()
        if groups.get("day"):
            day, notes = _day(match, local_now, clock, date_order)
        else:
            day = local_now.date()
        return replace(_local(datetime.combine(day, clock), tz), notes=notes)
    return None


def is_clock_only(text: str) -> bool:
    """``text`` is a time of day without a day ("10am", "at 15:30"), perhaps with a zone."""
    words = re.sub(r"\s+", " ", text.strip().casefold()).split(" ")
    if len(words) > 1 and zone_named(words[-1]) is not None:
        words = words[:-1]
    return _TIME_ONLY.match(" ".join(words)) is not None


def read(
    text: str, *, now: datetime, tz: ZoneInfo, date_order: DateOrder = "month_first"
) -> datetime:
    """The UTC moment ``text`` names, or a :class:`WhenProblem` saying what to write instead."""
    reading = interpret(text, now=now, tz=tz, date_order=date_order)
    if reading is None:
        raise NotATime(
            f"I couldn't read “{text.strip()}” as a time. Try {EXAMPLES} "
            f"(read in your time zone, {tz.key})."
        )
    check(reading, now=now, tz=tz)
    return reading.at


def check(reading: Reading, *, now: datetime, tz: ZoneInfo) -> None:
    """Refuse a moment that is skipped by the clocks, already past, or implausibly far."""
    zone = reading.zone or tz
    if not reading.exists:
        later = reading.local + timedelta(hours=1)
        raise SkippedByClocks(
            f"{reading.local:%a %d %b} {reading.local:%H:%M} doesn't exist in {zone.key}: the "
            f"clocks jump forward that night. Did you mean {later:%H:%M}?"
        )
    if reading.at <= now:
        how = f" ({'; '.join(reading.notes)})" if reading.notes else ""
        raise InThePast(
            f"I read that as {reading.local:%a %-d %b %Y, %H:%M} ({zone.key}){how}, which has "
            f"already passed. Pick a later time, e.g. {EXAMPLES}."
        )
    if reading.at - now > HORIZON:
        raise TooFarAhead(
            f"I read that as {reading.local:%-d %b %Y}, more than a year away; is the year "
            f"right? Try {EXAMPLES}."
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
        elif amount_text in NUMBER_WORDS:
            amount = float(NUMBER_WORDS[amount_text])
        else:
            amount = float(amount_text)
        total += amount * _UNIT_MINUTES[match.group("unit")[0]]
        position = match.end()
    return total if total > 0 else None


def _clock(match: re.Match[str], text: str) -> time | None:
    groups = match.groupdict()
    if groups["time"] in {"noon", "midday"}:
        return time(12, 0)
    if groups.get("bare_hour") is not None:
        hour = int(groups["bare_hour"])
        if 13 <= hour <= 23:
            return time(hour, 0)
        if 1 <= hour <= 12:
            raise AmbiguousTime(
                f"Is “{text}” {hour}am or {hour}pm? Write `{hour}am`, `{hour}pm` or "
                f"`{hour % 12 + 12}:00`, e.g. `tomorrow {hour}pm`."
            )
        return None
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


def _day(
    match: re.Match[str], local_now: datetime, clock: time, date_order: DateOrder
) -> tuple[date, tuple[str, ...]]:
    groups = match.groupdict()
    today = local_now.date()
    word = groups["day"]
    if word == "today":
        return today, ()
    if word in {"tomorrow", "tmrw", "tmr"}:
        return today + timedelta(days=1), ()
    if word == "yesterday":
        return today - timedelta(days=1), ()
    if groups.get("weekday"):
        ahead = (WEEKDAYS[groups["weekday"]] - today.weekday()) % 7
        if ahead == 0 and (groups.get("next") == "next" or clock <= local_now.time()):
            ahead = 7
        return today + timedelta(days=ahead), ()
    if groups.get("iso_date"):
        iso_year, iso_month, iso_day = (int(part) for part in groups["iso_date"].split("-"))
        return _date(iso_year, iso_month, iso_day, word), ()
    if groups.get("num_a"):
        return _numeric(groups, today, date_order)
    if groups.get("month_first"):
        month, day_number, year = (
            MONTHS[groups["month_first"]],
            int(groups["mf_day"]),
            groups["mf_year"],
        )
    else:
        month, day_number, year = (
            MONTHS[groups["df_month"]],
            int(groups["day_first"]),
            groups["df_year"],
        )
    if year is not None:
        return _date(int(year), month, day_number, word), ()
    return _next(today, month, day_number, word), ()


def _numeric(
    groups: dict[str, str], today: date, date_order: DateOrder
) -> tuple[date, tuple[str, ...]]:
    """ "11/26", "26/11", "26.11.2026": the configured order, unless only the other one fits."""
    first, second, written = int(groups["num_a"]), int(groups["num_b"]), groups["day"]
    orders: list[tuple[DateOrder, int, int]] = [
        ("month_first", first, second),
        ("day_first", second, first),
    ]
    if groups["num_sep"] == "." or date_order == "day_first":
        orders.reverse()  # "26.11." is day first wherever it is written
    fitting = [(order, month, day) for order, month, day in orders if _valid(month, day)]
    if not fitting:
        raise ImpossibleDate(
            f"“{written}” isn't a date in either order (month/day or day/month). "
            f"Write it like `nov 26` or `2026-11-26`, e.g. `nov 26 10am`."
        )
    order, month, day_number = fitting[0]
    year_text = groups.get("num_year")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        found = _date(year, month, day_number, written)
    else:
        found = _next(today, month, day_number, written)
    notes: tuple[str, ...] = ()
    if len(fitting) == 2 and first != second:
        how = "month first" if order == "month_first" else "day first"
        notes = (f"read {written} as {found:%-d %b %Y} ({how})",)
    return found, notes


def _valid(month: int, day_number: int) -> bool:
    try:
        date(2024, month, day_number)  # a leap year: 29 Feb is a date
    except ValueError:
        return False
    return True


def _date(year: int, month: int, day_number: int, written: str) -> date:
    try:
        return date(year, month, day_number)
    except ValueError:
        raise ImpossibleDate(
            f"There is no {written}: {_why(year, month, day_number)} Try {EXAMPLES}."
        ) from None


def _next(today: date, month: int, day_number: int, written: str) -> date:
    """The next such date; this year's if it passed only lately (so it is refused as past)."""
    candidate = (
        _date(today.year, month, day_number, written) if month != 2 or day_number != 29 else None
    )
    if candidate is not None and (candidate >= today or today - candidate <= RECENT_PAST):
        return candidate
    for year in range(today.year + 1, today.year + 9):
        try:
            return date(year, month, day_number)
        except ValueError:
            continue
    raise ImpossibleDate(f"There is no {written}. Try {EXAMPLES}.")


def _why(year: int, month: int, day_number: int) -> str:
    if not 1 <= month <= 12:
        return "a year has 12 months."
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return f"{date(year, month, 1):%B} {year} has {last} days."


def _iso(text: str, tz: ZoneInfo) -> Reading | None:
    try:
        parsed = datetime.fromisoformat(text.upper())
    except ValueError:
        raise ImpossibleDate(f"“{text}” isn't a real date and time. Try {EXAMPLES}.") from None
    if parsed.tzinfo is None:
        return _local(parsed, tz)
    at = parsed.astimezone(UTC)
    return Reading(at=at, local=at.astimezone(tz).replace(tzinfo=None), zone=tz)


def _local(wall: datetime, tz: ZoneInfo) -> Reading:
    """A wall-clock time in ``tz``: the earlier one when the clocks go back, and flagged
    when the clocks jump over it."""
    aware = wall.replace(tzinfo=tz, fold=0)
    at = aware.astimezone(UTC)
    exists = at.astimezone(tz).replace(tzinfo=None) == wall
    return Reading(at=at, local=wall, exists=exists, zone=tz)
