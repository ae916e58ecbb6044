"""Business-hours arithmetic in a person's own time zone.

Each working day is laid out on the person's local wall clock (``WorkingHours.start``
to ``WorkingHours.end`` on the configured weekdays) and converted to UTC, so weekends
and daylight-saving changes fall out of :mod:`zoneinfo` instead of being assumed: a
09:00-17:00 day is eight hours long on the Monday after a clock change too. Within a
working day, time is real elapsed time (a window that contains a clock change is an
hour shorter or longer).

Public holidays (``WorkingHours.holidays``: a country and region, from the ``holidays``
package) are days off like weekends.

Working time is half-open: 09:00 is inside a 09:00-17:00 day, 17:00 is not. Every
function takes aware datetimes in any zone and returns aware datetimes in UTC.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.config import PublicHolidays, WorkingHours

#: Never look further ahead than this for working time (about ten years).
MAX_DAYS = 3660

_Window = tuple[datetime, datetime]


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone), got {moment!r}")


@lru_cache(maxsize=256)
def _holidays_in(country: str, region: str | None, year: int) -> frozenset[date]:
    import holidays  # only for a team with public holidays set; it loads every calendar

    return frozenset(holidays.country_holidays(country, subdiv=region, years=year))


def is_public_holiday(day: date, calendar: PublicHolidays | None) -> bool:
    """Whether ``day`` is a public holiday where ``calendar`` says (never, without one)."""
    return calendar is not None and day in _holidays_in(calendar.country, calendar.region, day.year)


class _Days:
    """The working window of each local day, in UTC."""

    def __init__(self, tz: ZoneInfo, hours: WorkingHours) -> None:
        self._tz = tz
        self._weekdays = hours.weekday_indexes
        self._start = hours.start.replace(tzinfo=None)
        self._end = hours.end.replace(tzinfo=None)
        self._holidays = hours.holidays

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self._tz).date()

    def window(self, day: date) -> _Window | None:
        """The working window of local ``day``, or ``None`` for a day off."""
        if day.weekday() not in self._weekdays or is_public_holiday(day, self._holidays):
            return None
        # Wall-clock times on that very day: the zone decides the UTC offset (an opening
        # time skipped by a spring-forward takes the offset from before the change).
        start = datetime.combine(day, self._start, tzinfo=self._tz).astimezone(UTC)
        end = datetime.combine(day, self._end, tzinfo=self._tz).astimezone(UTC)
        return (start, end) if end > start else None

    def windows_from(self, moment: datetime) -> Iterator[_Window]:
        """Working windows that end after ``moment``, in order, for at most ``MAX_DAYS``."""
        day = self.local_date(moment) - timedelta(days=1)
        for offset in range(MAX_DAYS + 2):
            window = self.window(day + timedelta(days=offset))
            if window is not None and window[1] > moment:
                yield window


def _no_working_time(hours: WorkingHours) -> ValueError:
    return ValueError(
        f"no working time within {MAX_DAYS} days "
        f"(days={[day.value for day in hours.days]}, start={hours.start}, end={hours.end})"
    )


def is_working_time(moment: datetime, *, tz: ZoneInfo, hours: WorkingHours) -> bool:
    """Whether ``moment`` falls inside the working hours of someone in ``tz``."""
    _require_aware("moment", moment)
    days = _Days(tz, hours)
    window = days.window(days.local_date(moment))
    return window is not None and window[0] <= moment < window[1]


def next_working_moment(moment: datetime, *, tz: ZoneInfo, hours: WorkingHours) -> datetime:
    """``moment`` itself if it is working time, else the start of the next working day (UTC)."""
    _require_aware("moment", moment)
    for start, _end in _Days(tz, hours).windows_from(moment):
        return max(start, moment).astimezone(UTC)
    raise _no_working_time(hours)


def add_business_hours(
    start: datetime, business_hours: float, *, tz: ZoneInfo, hours: WorkingHours
) -> datetime:
    """The earliest moment (UTC) at which ``business_hours`` of working time have elapsed.

    Adding zero returns ``start`` itself. Time runs out exactly at a closing time
    rather than at the next opening: Monday 09:00 plus 8 hours is Monday 17:00.
    """
    _require_aware("start", start)
    if not math.isfinite(business_hours) or business_hours < 0:
        raise ValueError(f"business_hours must be zero or more, got {business_hours!r}")
    remaining = timedelta(hours=business_hours)
    if not remaining:
        return start.astimezone(UTC)
    for window_start, window_end in _Days(tz, hours).windows_from(start):
        segment_start = max(window_start, start)
        available = window_end - segment_start
        if remaining <= available:
            return (segment_start + remaining).astimezone(UTC)
        remaining -= available
    raise _no_working_time(hours)


def business_hours_between(
    start: datetime, end: datetime, *, tz: ZoneInfo, hours: WorkingHours
) -> float:
    """Hours of working time from ``start`` to ``end``; negative if ``end`` comes first."""
    _require_aware("start", start)
    _require_aware("end", end)
    if end < start:
        return -business_hours_between(end, start, tz=tz, hours=hours)
    days = _Days(tz, hours)
    day = days.local_date(start) - timedelta(days=1)
    last_day = days.local_date(end) + timedelta(days=1)
    total = timedelta(0)
    while day <= last_day:
        window = days.window(day)
        if window is not None:
            overlap = min(window[1], end) - max(window[0], start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total / timedelta(hours=1)
