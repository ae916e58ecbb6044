"""Reading call times in the caller's own time zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coaching.when import WhenProblem, interpret, read

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")

#: Monday 23 November 2026, 09:00 UTC: 04:00 in New York, 10:00 in Berlin, 20:00 in Sydney.
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # The same words mean different moments in different zones.
        ("tomorrow 10am", NEW_YORK, utc(2026, 11, 24, 15, 0)),
        ("tomorrow 10am", BERLIN, utc(2026, 11, 24, 9, 0)),
        ("tomorrow 10am", SYDNEY, utc(2026, 11, 23, 23, 0)),
        ("tomorrow 10am", KOLKATA, utc(2026, 11, 24, 4, 30)),
        # In Sydney it is already Monday evening, so "today 9pm" is an hour away.
        ("today 9pm", SYDNEY, utc(2026, 11, 23, 10, 0)),
        ("today 3pm", NEW_YORK, utc(2026, 11, 23, 20, 0)),
        ("fri 14:30", BERLIN, utc(2026, 11, 27, 13, 30)),
        ("Friday at 2:30 PM", NEW_YORK, utc(2026, 11, 27, 19, 30)),
        ("2:30pm on fri", NEW_YORK, utc(2026, 11, 27, 19, 30)),
        ("next tuesday 9:15am", BERLIN, utc(2026, 11, 24, 8, 15)),
        ("noon tomorrow", BERLIN, utc(2026, 11, 24, 11, 0)),
        ("tmrw 12am", BERLIN, utc(2026, 11, 23, 23, 0)),
        ("15:30", BERLIN, utc(2026, 11, 23, 14, 30)),
        ("in 2h", NEW_YORK, MONDAY + timedelta(hours=2)),
        ("in 90 minutes", BERLIN, MONDAY + timedelta(minutes=90)),
        ("in 1h30m", BERLIN, MONDAY + timedelta(minutes=90)),
        ("in half an hour", BERLIN, MONDAY + timedelta(minutes=30)),
        ("in 2 days", NEW_YORK, MONDAY + timedelta(days=2)),
        ("2026-11-24 10:00", NEW_YORK, utc(2026, 11, 24, 15, 0)),
        ("2026-11-24T10:00", BERLIN, utc(2026, 11, 24, 9, 0)),
        ("2026-11-24T15:00Z", SYDNEY, utc(2026, 11, 24, 15, 0)),
        ("2026-11-24T10:00-05:00", BERLIN, utc(2026, 11, 24, 15, 0)),
        ("nov 24 10:00", BERLIN, utc(2026, 11, 24, 9, 0)),
        ("24th November 4pm", NEW_YORK, utc(2026, 11, 24, 21, 0)),
        # A date without a year that has passed this year means next year.
        ("jan 5 9am", BERLIN, utc(2027, 1, 5, 8, 0)),
    ],
)
def test_reads_what_people_type(text: str, tz: ZoneInfo, expected: datetime) -> None:
    assert read(text, now=MONDAY, tz=tz) == expected


def test_a_weekday_is_the_next_one_and_next_is_never_today() -> None:
    # Monday 10:00 in Berlin: "mon 14:00" is today; "mon 9am" has passed, so next week.
    assert read("mon 14:00", now=MONDAY, tz=BERLIN) == utc(2026, 11, 23, 13, 0)
    assert read("mon 9am", now=MONDAY, tz=BERLIN) == utc(2026, 11, 30, 8, 0)
    assert read("next mon 14:00", now=MONDAY, tz=BERLIN) == utc(2026, 11, 30, 13, 0)


def test_wall_clock_times_follow_daylight_saving_changes() -> None:
    # Friday 12 March 2027 in New York (EST, UTC-5); clocks go forward on Sunday the 14th.
    friday = utc(2027, 3, 12, 15, 0)
    assert read("tomorrow 10am", now=friday, tz=NEW_YORK) == utc(2027, 3, 13, 15, 0)
    assert read("mon 10am", now=friday, tz=NEW_YORK) == utc(2027, 3, 15, 14, 0)  # EDT
    # "in 72h" is three real hours-days, whatever the wall clock does meanwhile.
    assert read("in 72h", now=friday, tz=NEW_YORK) == friday + timedelta(hours=72)
    # Europe changes two weeks later: Berlin is UTC+1 until 28 March 2027, then UTC+2.
    thursday = utc(2027, 3, 25, 8, 0)
    assert read("fri 9am", now=thursday, tz=BERLIN) == utc(2027, 3, 26, 8, 0)
    assert read("mon 9am", now=thursday, tz=BERLIN) == utc(2027, 3, 29, 7, 0)
    # Sydney goes the other way: daylight saving ends on Sunday 4 April 2027.
    sydney_friday = utc(2027, 4, 1, 23, 0)  # Friday 10:00 in Sydney (UTC+11)
    assert read("mon 10am", now=sydney_friday, tz=SYDNEY) == utc(2027, 4, 5, 0, 0)  # UTC+10


def test_a_time_the_clocks_skip_is_refused_with_the_hour_after() -> None:
    friday = utc(2027, 3, 12, 15, 0)
    with pytest.raises(WhenProblem) as raised:
        read("sun 2:30am", now=friday, tz=NEW_YORK)
    assert "doesn't exist in America/New_York" in str(raised.value)
    assert "03:30" in str(raised.value)
    reading = interpret("sun 2:30am", now=friday, tz=NEW_YORK)
    assert reading is not None and not reading.exists


def test_a_time_the_clocks_repeat_is_the_first_one() -> None:
    # New York falls back on Sunday 7 November 2027: 01:30 happens twice; the first is EDT.
    friday = utc(2027, 11, 5, 15, 0)
    assert read("sun 1:30am", now=friday, tz=NEW_YORK) == utc(2027, 11, 7, 5, 30)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("today 3am", "has already passed"),
        ("today 9:59", "has already passed"),
        ("2026-11-20 10:00", "has already passed"),
        ("2026-11-23T08:00Z", "has already passed"),
        ("2028-01-10 10:00", "more than a year away"),
        ("whenever suits", "couldn't read"),
        ("tomorrow", "couldn't read"),
        ("25:00", "couldn't read"),
        ("13pm", "couldn't read"),
        ("feb 30 10am", "February 2026 has 28 days"),
        ("in a while", "couldn't read"),
        ("in 2 months", "couldn't read"),
    ],
)
def test_past_far_or_unreadable_times_say_how_to_write_them(text: str, words: str) -> None:
    with pytest.raises(WhenProblem) as raised:
        read(text, now=MONDAY, tz=BERLIN)
    message = str(raised.value)
    assert words in message
    assert "`tomorrow 10am`" in message and "`in 2h`" in message


def test_unreadable_names_the_time_zone_it_used() -> None:
    with pytest.raises(WhenProblem, match="Europe/Berlin"):
        read("someday", now=MONDAY, tz=BERLIN)
