"""What people type for a call time, and what it must mean: shared by the test of
``bot.coaching.when`` and ``bench/when_parsers.py``, which runs the same table through
``dateparser`` and ``parsedatetime``.

The clock: Monday 23 November 2026, 10:00 in Berlin (09:00 UTC); month-first dates.
``None`` means the input must be refused (impossible, ambiguous, past, too far, not a time).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Berlin")


def berlin(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


TABLE: list[tuple[str, datetime | None]] = [
    ("tomorrow 10am", berlin(11, 24, 10)),
    ("tomorrow at 10am", berlin(11, 24, 10)),
    ("today 3pm", berlin(11, 23, 15)),
    ("3pm", berlin(11, 23, 15)),
    ("15:30", berlin(11, 23, 15, 30)),
    ("4pm", berlin(11, 23, 16)),
    ("fri 14:30", berlin(11, 27, 14, 30)),
    ("friday 2:30pm", berlin(11, 27, 14, 30)),
    ("2:30pm on friday", berlin(11, 27, 14, 30)),
    ("at 4pm on thursday", berlin(11, 26, 16)),
    ("this friday 10am", berlin(11, 27, 10)),
    ("next tuesday 9:15am", berlin(11, 24, 9, 15)),
    ("mon 9am", berlin(11, 30, 9)),
    ("monday 11am", berlin(11, 23, 11)),
    ("noon tomorrow", berlin(11, 24, 12)),
    ("tomorrow noon", berlin(11, 24, 12)),
    ("tmrw 12am", berlin(11, 24, 0)),
    ("in 2h", berlin(11, 23, 12)),
    ("in 90 minutes", berlin(11, 23, 11, 30)),
    ("in two hours", berlin(11, 23, 12)),
    ("in an hour", berlin(11, 23, 11)),
    ("in half an hour", berlin(11, 23, 10, 30)),
    ("in 1h30m", berlin(11, 23, 11, 30)),
    ("in 2 days", berlin(11, 25, 10)),
    ("in 2 weeks", berlin(12, 7, 10)),
    ("nov 24 10:00", berlin(11, 24, 10)),
    ("24 nov 4pm", berlin(11, 24, 16)),
    ("24th November 4pm", berlin(11, 24, 16)),
    ("november 30 9am", berlin(11, 30, 9)),
    ("dec 1 2026 11am", berlin(12, 1, 11)),
    ("dec 24 2026 4pm", berlin(12, 24, 16)),
    ("jan 5 9am", berlin(1, 5, 9, year=2027)),
    ("2026-11-24 10:00", berlin(11, 24, 10)),
    ("2026-11-24T10:00", berlin(11, 24, 10)),
    ("2026-11-24T15:00Z", utc(11, 24, 15)),
    ("11/26 10am", berlin(11, 26, 10)),
    ("11/26/2026 10am", berlin(11, 26, 10)),
    ("26/11 10am", berlin(11, 26, 10)),
    ("26.11. 10:00", berlin(11, 26, 10)),
    ("12/1 9am", berlin(12, 1, 9)),
    ("tomorrow 19", berlin(11, 24, 19)),
    ("tomorrow 10am CET", berlin(11, 24, 10)),
    ("tomorrow 10am PT", utc(11, 24, 18)),
    ("tomorrow 10am PST", utc(11, 24, 18)),
    ("fri 10:00 PT", utc(11, 27, 18)),
    ("fri 9am ET", utc(11, 27, 14)),
    ("tomorrow 3pm UTC", utc(11, 24, 15)),
    ("tomorrow 9am Europe/London", utc(11, 24, 9)),
    # Refused: impossible dates.
    ("nov 31 10am", None),
    ("2027-02-30 10:00", None),
    ("feb 30 10am", None),
    ("31/11 10am", None),
    ("13/13 10am", None),
    # Refused: unknown words, ambiguous hours, no time at all.
    ("blursday 11pm", None),
    ("thursday at 10", None),
    ("tomorrow 7", None),
    ("tomorrow", None),
    ("next week", None),
    ("whenever suits", None),
    ("in a while", None),
    ("in 2 months", None),
    ("25:00", None),
    ("13pm", None),
    # Refused: in the past, or too far ahead.
    ("yesterday 3pm", None),
    ("today 3am", None),
    ("2026-11-20 10:00", None),
    ("nov 20 10am", None),
    ("2028-01-10 10:00", None),
]
