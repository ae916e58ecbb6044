"""Splitting `/precall` text into a deal and a time, strictly."""

from __future__ import annotations

import pytest

from bot.coaching import when, when_split
from tests.coaching.when_table import NOW, TZ, berlin, utc


@pytest.mark.parametrize(
    ("text", "deal", "at"),
    [
        ("Acme Corp tomorrow 10am", "Acme Corp", berlin(11, 24, 10)),
        ("Friday Foods fri 10am", "Friday Foods", berlin(11, 27, 10)),
        ("Monday Mart mon 9am", "Monday Mart", berlin(11, 30, 9)),
        ("Acme: in two hours", "Acme", berlin(11, 23, 12)),
        ("Acme 11/26 10am", "Acme", berlin(11, 26, 10)),
        ("Studio 54 today 10pm", "Studio 54", berlin(11, 23, 22)),
        ("Acme tomorrow 10am PT", "Acme", utc(11, 24, 18)),
    ],
)
def test_splits_deal_from_time(text: str, deal: str, at: object) -> None:
    found = when_split.split(text, now=NOW, tz=TZ)
    assert (found.deal, found.reading.at) == (deal, at)


@pytest.mark.parametrize(
    ("text", "problem", "words"),
    [
        ("Globex nov 31 23:59", when.ImpossibleDate, "November 2026 has 30 days"),
        ("Acme 2027-02-30 10:00", when.ImpossibleDate, "February 2027 has 28 days"),
        ("Initech blursday 11pm", when.UnknownWord, "“blursday”"),
        ("Acme Corp tomorow 3pm", when.UnknownWord, "Did you mean `tomorrow`?"),
        ("Acme thurday 3pm", when.UnknownWord, "Did you mean `thursday`?"),
        ("Acme tomorrow 7", when.AmbiguousTime, "7am or 7pm"),
        ("Studio 54 10am", when.ImpossibleDate, "say the day too"),
        ("Acme next 3pm", when.NotATime, "couldn't read “next 3pm”"),
        ("Acme Corp", when.NotATime, "couldn't find when"),
        ("Acme", when.NotATime, "Say when the call is"),
        ("tomorrow 10am", when.NotATime, "Start with the deal's name"),
    ],
)
def test_refuses_leftover_words_and_broken_times(
    text: str, problem: type[when.WhenProblem], words: str
) -> None:
    with pytest.raises(problem) as raised:
        when_split.split(text, now=NOW, tz=TZ)
    assert words in str(raised.value)


def test_a_past_date_says_which_date_it_read_with_the_year() -> None:
    found = when_split.split("Acme Corp yesterday 3pm", now=NOW, tz=TZ)
    with pytest.raises(when.InThePast, match="Sun 22 Nov 2026, 15:00"):
        when.check(found.reading, now=NOW, tz=TZ)


def test_day_month_order_is_stated_when_both_orders_make_a_date() -> None:
    month_first = when_split.split("Acme 12/1 9am", now=NOW, tz=TZ)
    assert month_first.reading.at == berlin(12, 1, 9)
    assert month_first.reading.notes == ("read 12/1 as 1 Dec 2026 (month first)",)
    day_first = when_split.split("Acme 12/1 9am", now=NOW, tz=TZ, date_order="day_first")
    assert day_first.reading.at == berlin(1, 12, 9, year=2027)
    assert day_first.reading.notes == ("read 12/1 as 12 Jan 2027 (day first)",)
    only_one = when_split.split("Acme 26/11 9am", now=NOW, tz=TZ)
    assert only_one.reading.notes == ()


def test_an_explicit_zone_wins_and_is_stated() -> None:
    found = when_split.split("Acme fri 9am ET", now=NOW, tz=TZ)
    assert found.reading.zone is not None and found.reading.zone.key == "America/New_York"
    assert found.reading.notes == ("read in America/New_York, as written",)


@pytest.mark.parametrize(
    ("locale", "order"),
    [("en-US", "month_first"), ("en-GB", "day_first"), ("de-DE", "day_first"), (None, "day_first")],
)
def test_date_order_comes_from_the_locale_or_the_default(locale: str | None, order: str) -> None:
    assert when.date_order_for(locale, "day_first") == order
