from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coaching.working_hours import (
    add_business_hours,
    business_hours_between,
    is_working_time,
    next_working_moment,
)
from bot.config import DealCoachConfig, PublicHolidays, Team, Weekday, WorkingHours

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
DUBAI = ZoneInfo("Asia/Dubai")
NINE_TO_FIVE = WorkingHours()  # 09:00-17:00, Monday to Friday

# June 2026: Monday the 1st, Friday the 5th, Saturday the 6th, Monday the 8th.


def at(tz: ZoneInfo, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=tz)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (at(BERLIN, 6, 1, 8, 59, 59), False),
        (at(BERLIN, 6, 1, 9), True),  # opening time is inside
        (at(BERLIN, 6, 1, 12, 30), True),
        (at(BERLIN, 6, 1, 16, 59, 59), True),
        (at(BERLIN, 6, 1, 17), False),  # closing time is outside
        (at(BERLIN, 6, 1, 23), False),
        (at(BERLIN, 6, 5, 16), True),  # Friday
        (at(BERLIN, 6, 6, 12), False),  # Saturday
        (at(BERLIN, 6, 7, 12), False),  # Sunday
        (utc(6, 1, 7), True),  # 09:00 in Berlin, given in UTC
        (utc(6, 1, 6, 59), False),
        (utc(6, 1, 15), False),  # 17:00 in Berlin
        (at(NEW_YORK, 6, 1, 4), True),  # 04:00 in New York is 10:00 in Berlin
        (at(NEW_YORK, 6, 1, 11), False),  # 17:00 in Berlin
    ],
)
def test_is_working_time(moment: datetime, working: bool) -> None:
    assert is_working_time(moment, tz=BERLIN, hours=NINE_TO_FIVE) is working


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(BERLIN, 6, 1, 12, 30), at(BERLIN, 6, 1, 12, 30)),  # inside: itself
        (at(BERLIN, 6, 1, 9), at(BERLIN, 6, 1, 9)),
        (at(BERLIN, 6, 1, 7), at(BERLIN, 6, 1, 9)),  # before opening
        (at(BERLIN, 6, 1, 0), at(BERLIN, 6, 1, 9)),
        (at(BERLIN, 6, 1, 17), at(BERLIN, 6, 2, 9)),  # exactly at closing
        (at(BERLIN, 6, 2, 20), at(BERLIN, 6, 3, 9)),
        (at(BERLIN, 6, 5, 17), at(BERLIN, 6, 8, 9)),  # Friday evening
        (at(BERLIN, 6, 6, 10), at(BERLIN, 6, 8, 9)),  # Saturday
        (at(BERLIN, 6, 7, 23, 59), at(BERLIN, 6, 8, 9)),  # Sunday night
    ],
)
def test_next_working_moment(moment: datetime, expected: datetime) -> None:
    result = next_working_moment(moment, tz=BERLIN, hours=NINE_TO_FIVE)

    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("start", "business_hours", "expected"),
    [
        (at(BERLIN, 6, 5, 18), 4, at(BERLIN, 6, 8, 13)),  # Friday 18:00 + 4h = Monday 13:00
        (at(BERLIN, 6, 1, 10), 2, at(BERLIN, 6, 1, 12)),
        (at(BERLIN, 6, 1, 9), 8, at(BERLIN, 6, 1, 17)),  # ends at closing, not next opening
        (at(BERLIN, 6, 1, 9), 8.5, at(BERLIN, 6, 2, 9, 30)),
        (at(BERLIN, 6, 1, 7), 1, at(BERLIN, 6, 1, 10)),  # before opening time
        (at(BERLIN, 6, 1, 17), 0.5, at(BERLIN, 6, 2, 9, 30)),  # exactly at closing
        (at(BERLIN, 6, 1, 16, 30), 0.5, at(BERLIN, 6, 1, 17)),
        (at(BERLIN, 6, 1, 16, 30), 1, at(BERLIN, 6, 2, 9, 30)),
        (at(BERLIN, 6, 1, 10), 0.25, at(BERLIN, 6, 1, 10, 15)),
        (at(BERLIN, 6, 1, 10), 1.5, at(BERLIN, 6, 1, 11, 30)),
        (at(BERLIN, 6, 5, 15), 4, at(BERLIN, 6, 8, 11)),  # acknowledge SLA over a weekend
        (at(BERLIN, 6, 5, 15), 8, at(BERLIN, 6, 8, 15)),  # escalate SLA over a weekend
        (at(BERLIN, 6, 6, 12), 4, at(BERLIN, 6, 8, 13)),  # raised on a Saturday
        (at(BERLIN, 6, 1, 10), 40, at(BERLIN, 6, 8, 10)),  # a whole working week
        (at(BERLIN, 6, 3, 12), 0, at(BERLIN, 6, 3, 12)),
        (at(BERLIN, 6, 6, 12), 0, at(BERLIN, 6, 6, 12)),  # zero hours: the start itself
        (utc(6, 5, 16), 4, at(BERLIN, 6, 8, 13)),  # start given in UTC
    ],
)
def test_add_business_hours(start: datetime, business_hours: float, expected: datetime) -> None:
    result = add_business_hours(start, business_hours, tz=BERLIN, hours=NINE_TO_FIVE)

    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("tz", "start", "business_hours", "expected", "expected_utc"),
    [
        # US spring forward, Sunday 2026-03-08: Friday is EST (-5), Monday EDT (-4).
        (NEW_YORK, at(NEW_YORK, 3, 6, 15), 4, at(NEW_YORK, 3, 9, 11), utc(3, 9, 15)),
        (NEW_YORK, at(NEW_YORK, 3, 6, 9), 16, at(NEW_YORK, 3, 9, 17), utc(3, 9, 21)),
        (NEW_YORK, at(NEW_YORK, 3, 7, 10), 1, at(NEW_YORK, 3, 9, 10), utc(3, 9, 14)),
        # EU spring forward, Sunday 2026-03-29: CET (+1) to CEST (+2).
        (BERLIN, at(BERLIN, 3, 27, 15), 4, at(BERLIN, 3, 30, 11), utc(3, 30, 9)),
        # EU fall back, Sunday 2026-10-25: CEST (+2) to CET (+1).
        (BERLIN, at(BERLIN, 10, 23, 15), 4, at(BERLIN, 10, 26, 11), utc(10, 26, 10)),
        (BERLIN, at(BERLIN, 10, 23, 18), 4, at(BERLIN, 10, 26, 13), utc(10, 26, 12)),
        # Sydney falls back on Sunday 2026-04-05: AEDT (+11) to AEST (+10).
        (SYDNEY, at(SYDNEY, 4, 3, 15), 4, at(SYDNEY, 4, 6, 11), utc(4, 6, 1)),
    ],
)
def test_add_business_hours_across_clock_changes(
    tz: ZoneInfo, start: datetime, business_hours: float, expected: datetime, expected_utc: datetime
) -> None:
    result = add_business_hours(start, business_hours, tz=tz, hours=NINE_TO_FIVE)

    assert result == expected == expected_utc
    assert result.astimezone(tz).replace(tzinfo=None) == expected.replace(tzinfo=None)


@pytest.mark.parametrize(
    ("tz", "monday"),
    [(NEW_YORK, 9), (BERLIN, 30)],  # the Mondays after spring forward
)
def test_working_day_after_spring_forward_is_still_eight_hours(tz: ZoneInfo, monday: int) -> None:
    opening, closing = at(tz, 3, monday, 9), at(tz, 3, monday, 17)

    assert business_hours_between(opening, closing, tz=tz, hours=NINE_TO_FIVE) == 8
    assert add_business_hours(opening, 8, tz=tz, hours=NINE_TO_FIVE) == closing
    assert business_hours_between(
        at(tz, 3, monday - 3, 9), closing, tz=tz, hours=NINE_TO_FIVE
    ) == pytest.approx(16)


def test_week_spanning_fall_back_has_forty_hours() -> None:
    start, end = at(BERLIN, 10, 21, 12), at(BERLIN, 10, 28, 12)  # Wednesday to Wednesday
    assert business_hours_between(start, end, tz=BERLIN, hours=NINE_TO_FIVE) == 40


@pytest.mark.parametrize(
    ("tz", "day", "real_hours"),
    [
        (NEW_YORK, at(NEW_YORK, 3, 8, 0), 5),  # 02:00-03:00 does not exist that night
        (BERLIN, at(BERLIN, 10, 25, 0), 7),  # 02:00-03:00 happens twice
        (BERLIN, at(BERLIN, 10, 18, 0), 6),  # an ordinary Sunday
    ],
)
def test_window_containing_the_clock_change_counts_real_time(
    tz: ZoneInfo, day: datetime, real_hours: float
) -> None:
    night_shift = WorkingHours(start=time(0), end=time(6), days=[Weekday.SUN])
    closing = day.replace(hour=6)

    assert business_hours_between(day, closing, tz=tz, hours=night_shift) == real_hours
    assert add_business_hours(day, real_hours, tz=tz, hours=night_shift) == closing


def test_opening_time_that_does_not_exist_that_day() -> None:
    early = WorkingHours(start=time(2, 30), end=time(6), days=[Weekday.SUN])
    # On 2026-03-08 New York skips from 02:00 EST to 03:00 EDT: 02:30 EST is 03:30 EDT.
    result = next_working_moment(at(NEW_YORK, 3, 8, 0), tz=NEW_YORK, hours=early)
    assert result == utc(3, 8, 7, 30)
    assert not is_working_time(utc(3, 8, 7, 29), tz=NEW_YORK, hours=early)
    assert is_working_time(utc(3, 8, 7, 30), tz=NEW_YORK, hours=early)


def test_sydney_and_berlin_see_the_same_moment_differently() -> None:
    moment = utc(6, 1, 8)  # Monday 10:00 in Berlin, Monday 18:00 in Sydney

    assert is_working_time(moment, tz=BERLIN, hours=NINE_TO_FIVE)
    assert not is_working_time(moment, tz=SYDNEY, hours=NINE_TO_FIVE)
    assert next_working_moment(moment, tz=BERLIN, hours=NINE_TO_FIVE) == moment
    assert next_working_moment(moment, tz=SYDNEY, hours=NINE_TO_FIVE) == utc(6, 1, 23)
    assert add_business_hours(moment, 4, tz=BERLIN, hours=NINE_TO_FIVE) == utc(6, 1, 12)
    assert add_business_hours(moment, 4, tz=SYDNEY, hours=NINE_TO_FIVE) == utc(6, 2, 3)

    sunday_night = utc(6, 7, 23, 30)  # Monday 09:30 in Sydney, Monday 01:30 in Berlin
    assert is_working_time(sunday_night, tz=SYDNEY, hours=NINE_TO_FIVE)
    assert not is_working_time(sunday_night, tz=BERLIN, hours=NINE_TO_FIVE)
    # Friday 12:00 UTC to Monday 03:00 UTC: Berlin works Friday afternoon, Sydney Monday morning.
    start, end = utc(6, 5, 12), utc(6, 8, 3)
    assert business_hours_between(start, end, tz=BERLIN, hours=NINE_TO_FIVE) == 3
    assert business_hours_between(start, end, tz=SYDNEY, hours=NINE_TO_FIVE) == 4


def test_custom_working_week() -> None:
    sun_to_thu = WorkingHours(
        start=time(8),
        end=time(16, 30),
        days=[Weekday.SUN, Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU],
    )
    thursday = at(DUBAI, 6, 4, 15, 30)

    assert add_business_hours(thursday, 2, tz=DUBAI, hours=sun_to_thu) == at(DUBAI, 6, 7, 9)
    assert not is_working_time(at(DUBAI, 6, 5, 10), tz=DUBAI, hours=sun_to_thu)  # Friday
    assert next_working_moment(at(DUBAI, 6, 5, 10), tz=DUBAI, hours=sun_to_thu) == at(
        DUBAI, 6, 7, 8
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(BERLIN, 6, 1, 10), at(BERLIN, 6, 1, 10), 0),
        (at(BERLIN, 6, 1, 10), at(BERLIN, 6, 1, 10, 30), 0.5),
        (at(BERLIN, 6, 1, 7), at(BERLIN, 6, 1, 20), 8),
        (at(BERLIN, 6, 1, 16), at(BERLIN, 6, 2, 10), 2),
        (at(BERLIN, 6, 5, 15), at(BERLIN, 6, 8, 11), 4),
        (at(BERLIN, 6, 6, 0), at(BERLIN, 6, 8, 0), 0),  # a weekend
        (at(BERLIN, 6, 5, 17), at(BERLIN, 6, 8, 9), 0),
        (at(BERLIN, 6, 1, 0), at(BERLIN, 6, 29, 0), 160),  # four weeks
        (at(BERLIN, 6, 1, 10, 30), at(BERLIN, 6, 1, 10), -0.5),  # reversed: negative
        (at(BERLIN, 6, 8, 11), at(BERLIN, 6, 5, 15), -4),
    ],
)
def test_business_hours_between(start: datetime, end: datetime, expected: float) -> None:
    assert business_hours_between(start, end, tz=BERLIN, hours=NINE_TO_FIVE) == pytest.approx(
        expected
    )


def test_consistency_of_add_and_between_over_many_starts() -> None:
    zones_and_hours = [
        (BERLIN, NINE_TO_FIVE),
        (NEW_YORK, NINE_TO_FIVE),
        (SYDNEY, WorkingHours(start=time(8, 30), end=time(17, 45))),
        (NEW_YORK, WorkingHours(start=time(0), end=time(6), days=[Weekday.SUN, Weekday.WED])),
    ]
    # Three weeks around each 2026 clock change in these zones; a 601-minute step makes the
    # start drift through every hour of the day and every weekday.
    first_days = [utc(3, 1, 0), utc(3, 22, 0), utc(4, 1, 0), utc(10, 18, 0), utc(10, 30, 0)]
    amounts = [0, 0.25, 0.5, 1, 3.75, 4, 8, 13, 40]
    checked = 0
    for (tz, hours), first in itertools.product(zones_and_hours, first_days):
        for step in range(0, 21 * 24 * 60, 601):
            start = first + timedelta(minutes=step)
            opens = next_working_moment(start, tz=tz, hours=hours)
            assert opens >= start
            assert is_working_time(opens, tz=tz, hours=hours)
            assert business_hours_between(start, opens, tz=tz, hours=hours) == 0
            for amount in amounts:
                due = add_business_hours(start, amount, tz=tz, hours=hours)
                assert due >= start
                elapsed = business_hours_between(start, due, tz=tz, hours=hours)
                assert math.isclose(elapsed, amount, abs_tol=1e-6), (tz, start, amount)
                if amount:
                    # The earliest such moment: just before it, working time was running.
                    just_before = due - timedelta(microseconds=1)
                    assert is_working_time(just_before, tz=tz, hours=hours), (tz, start, amount)
                    if is_working_time(due, tz=tz, hours=hours):
                        back = add_business_hours(start, elapsed, tz=tz, hours=hours)
                        assert abs(back - due) <= timedelta(microseconds=1)
                checked += 1
    assert checked > 1_000


@pytest.mark.parametrize(
    "call",
    [
        lambda: is_working_time(datetime(2026, 6, 1, 10), tz=BERLIN, hours=NINE_TO_FIVE),
        lambda: next_working_moment(datetime(2026, 6, 1, 10), tz=BERLIN, hours=NINE_TO_FIVE),
        lambda: add_business_hours(datetime(2026, 6, 1, 10), 1, tz=BERLIN, hours=NINE_TO_FIVE),
        lambda: business_hours_between(
            datetime(2026, 6, 1, 10), utc(6, 2, 0), tz=BERLIN, hours=NINE_TO_FIVE
        ),
        lambda: business_hours_between(
            utc(6, 1, 0), datetime(2026, 6, 2, 10), tz=BERLIN, hours=NINE_TO_FIVE
        ),
    ],
)
def test_naive_datetimes_are_rejected(call: object) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match="aware"):
        call()


@pytest.mark.parametrize("amount", [-1, -0.001, math.nan, math.inf])
def test_invalid_business_hours(amount: float) -> None:
    with pytest.raises(ValueError, match="business_hours"):
        add_business_hours(utc(6, 1, 10), amount, tz=BERLIN, hours=NINE_TO_FIVE)


def test_no_working_days_never_loops_forever() -> None:
    # The config forbids an empty list; a hand-built object must still not hang.
    never = WorkingHours.model_construct(days=[])
    start = utc(6, 1, 10)

    assert not is_working_time(start, tz=BERLIN, hours=never)
    with pytest.raises(ValueError, match="no working time"):
        next_working_moment(start, tz=BERLIN, hours=never)
    with pytest.raises(ValueError, match="no working time"):
        add_business_hours(start, 1, tz=BERLIN, hours=never)
    assert business_hours_between(start, utc(12, 31, 0), tz=BERLIN, hours=never) == 0


def test_too_many_business_hours_is_an_error_not_a_hang() -> None:
    with pytest.raises(ValueError, match="no working time"):
        add_business_hours(utc(6, 1, 10), 1_000_000, tz=BERLIN, hours=NINE_TO_FIVE)


def test_a_public_holiday_moves_an_sla() -> None:
    """Four business hours from Christmas Eve 15:00 in Berlin: not Friday the 25th, a
    public holiday in Germany, but Monday the 28th."""
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 12, 24, 15, 0, tzinfo=berlin)
    plain = WorkingHours()
    german = WorkingHours(holidays=PublicHolidays(country="DE", region="BE"))
    assert add_business_hours(start, 4, tz=berlin, hours=plain) == datetime(
        2026, 12, 25, 11, 0, tzinfo=berlin
    )
    assert add_business_hours(start, 4, tz=berlin, hours=german) == datetime(
        2026, 12, 28, 11, 0, tzinfo=berlin
    )
    assert not is_working_time(datetime(2026, 12, 25, 10, tzinfo=berlin), tz=berlin, hours=german)
    assert business_hours_between(
        start, datetime(2026, 12, 28, 11, 0, tzinfo=berlin), tz=berlin, hours=german
    ) == pytest.approx(4)


def test_holidays_come_from_the_person_then_the_team_then_everyone() -> None:
    config = DealCoachConfig(
        teams=[
            Team(name="Berlin", ses=["U0SE00001"], holidays=PublicHolidays(country="DE")),
            Team(name="Rest", ses=["U0SE00002"], reps=["U0REP0001"]),
        ],
        working_hours=WorkingHours(
            holidays=PublicHolidays(country="US"),
            holidays_by_person={"U0REP0001": PublicHolidays(country="GB", region="ENG")},
        ),
    )
    assert config.holidays_for("U0SE00001") == PublicHolidays(country="DE")
    assert config.holidays_for("U0SE00002") == PublicHolidays(country="US")
    assert config.holidays_for("U0REP0001") == PublicHolidays(country="GB", region="ENG")
    with pytest.raises(ValueError, match="unknown region 'XX' of DE"):
        PublicHolidays(country="DE", region="XX")


def test_a_copy_with_other_days_counts_its_own_days_after_the_team_days_were_read() -> None:
    # A person's own working days are a copy of the team's hours (preferences.for_person);
    # what the team's days computed must not carry over into the copy.
    team = WorkingHours()
    assert is_working_time(at(BERLIN, 6, 1, 10), tz=BERLIN, hours=team)  # a Monday
    weekends = team.model_copy(update={"days": [Weekday.SAT, Weekday.SUN]})
    assert not is_working_time(at(BERLIN, 6, 1, 10), tz=BERLIN, hours=weekends)
    assert is_working_time(at(BERLIN, 6, 6, 10), tz=BERLIN, hours=weekends)  # a Saturday
    assert add_business_hours(at(BERLIN, 6, 5, 16), 2, tz=BERLIN, hours=weekends) == utc(6, 6, 9)
