"""Each person's working hours and digest choice: team defaults, overridden by `/coach settings`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.coaching import working_hours
from bot.config import DealCoachConfig, Weekday, WorkingHours
from bot.db.models import Person
from bot.services.errors import InvalidInput


@dataclass(frozen=True)
class Preferences:
    tz: ZoneInfo
    hours: WorkingHours
    #: Local time of the daily digest, or ``None`` for nudges as they fall due.
    digest_at: time | None


def for_person(person: Person | None, config: DealCoachConfig) -> Preferences:
    defaults = config.working_hours
    if person is None:
        return Preferences(ZoneInfo(defaults.default_timezone), defaults, None)
    changes: dict[str, object] = {}
    if person.work_start is not None:
        changes["start"] = person.work_start
    if person.work_end is not None:
        changes["end"] = person.work_end
    if person.work_days:
        changes["days"] = [Weekday(day) for day in person.work_days.split(",")]
    holidays = config.holidays_for(person.slack_user_id)
    if holidays != defaults.holidays:
        changes["holidays"] = holidays
    hours = defaults.model_copy(update=changes) if changes else defaults
    return Preferences(
        ZoneInfo(person.time_zone or defaults.default_timezone), hours, person.digest_at
    )


def update(
    *,
    person: Person,
    start: time,
    end: time,
    days: list[Weekday],
    digest_at: time | None,
) -> None:
    """Save a person's own working hours and digest choice."""
    errors: dict[str, str] = {}
    if end <= start:
        errors["work_end"] = "Your day has to end after it starts, e.g. 09:00 to 17:30."
    if not days:
        errors["work_days"] = "Tick at least one working day."
    if digest_at is not None and not start <= digest_at < end:
        errors["digest_at"] = (
            f"Pick a digest time inside your working hours ({start:%H:%M}–{end:%H:%M})."
        )
    if errors:
        raise InvalidInput(errors)
    person.work_start, person.work_end = start, end
    person.work_days = ",".join(day.value for day in days)
    person.digest_at = digest_at


def next_delivery(prefs: Preferences, now: datetime) -> datetime | None:
    """When a nudge that is due now may go out: ``None`` for right away, else a later moment.

    Outside working hours it waits for the next working moment; a person on a daily
    digest gets everything at their digest time (within the hour after it, so a sweep
    that runs a little late still sends it that day).
    """
    if prefs.digest_at is None:
        if working_hours.is_working_time(now, tz=prefs.tz, hours=prefs.hours):
            return None
        return working_hours.next_working_moment(now, tz=prefs.tz, hours=prefs.hours)
    local = now.astimezone(prefs.tz)
    today = datetime.combine(local.date(), prefs.digest_at, prefs.tz)
    working_day = _working_day(prefs, local.date())
    if working_day and today <= local < today + timedelta(hours=1):
        return None
    day = local.date() + timedelta(days=0 if local < today else 1)
    for _ in range(14):
        if _working_day(prefs, day):
            return datetime.combine(day, prefs.digest_at, prefs.tz).astimezone(now.tzinfo)
        day += timedelta(days=1)
    raise ValueError("no working day in the next two weeks")


def _working_day(prefs: Preferences, day: date) -> bool:
    return day.weekday() in prefs.hours.weekday_indexes and not working_hours.is_public_holiday(
        day, prefs.hours.holidays
    )
