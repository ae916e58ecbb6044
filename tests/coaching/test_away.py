"""Reading `/coach away` text and deciding when someone is back, in their own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.coaching.away import (
    AwayProblem,
    AwayRequest,
    SlackStatus,
    back_at,
    is_away,
    read_request,
    status_line,
)

#: Monday 23 Nov 2026, 10:00 in Berlin.
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("until friday", AwayRequest(date(2026, 11, 27), None)),
        ("until Friday: team offsite", AwayRequest(date(2026, 11, 27), "team offsite")),
        ("friday", AwayRequest(date(2026, 11, 27), None)),
        ("until 4 dec parental leave", AwayRequest(date(2026, 12, 4), "parental leave")),
        ("until dec 4 - conference", AwayRequest(date(2026, 12, 4), "conference")),
        ("until 4 december 2026 holiday", AwayRequest(date(2026, 12, 4), "holiday")),
        ("until 2026-12-04", AwayRequest(date(2026, 12, 4), None)),
        ("until today", AwayRequest(date(2026, 11, 23), None)),
        ("until tomorrow, dentist", AwayRequest(date(2026, 11, 24), "dentist")),
    ],
)
def test_read_request(text: str, request_: AwayRequest) -> None:
    assert read_request(text, now=NOW, tz=BERLIN) == request_


def test_today_is_read_in_the_persons_zone() -> None:
    # 23:30 UTC on Monday is already Tuesday in Auckland.
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert read_request("today", now=late, tz=ZoneInfo("Pacific/Auckland")).until == date(
        2026, 11, 24
    )
    assert read_request("today", now=late, tz=BERLIN).until == date(2026, 11, 24)
    assert read_request("today", now=late, tz=ZoneInfo("America/New_York")).until == date(
        2026, 11, 23
    )


@pytest.mark.parametrize("text", ["", "until", "until blursday", "until 2026-11-01", "whenever"])
def test_unreadable_text_raises_a_problem_with_examples(text: str) -> None:
    with pytest.raises(AwayProblem) as problem:
        read_request(text, now=NOW, tz=BERLIN)
    assert "/coach away until" in str(problem.value) or "passed" in str(problem.value)


def test_back_at_the_end_of_the_last_day_where_they_are() -> None:
    assert back_at(date(2026, 11, 24), ZoneInfo("Pacific/Auckland")) == datetime(
        2026, 11, 24, 11, tzinfo=UTC
    )
    assert back_at(date(2026, 11, 24), ZoneInfo("America/Los_Angeles")) == datetime(
        2026, 11, 25, 8, tzinfo=UTC
    )
    assert is_away(date(2026, 11, 24), BERLIN, now=datetime(2026, 11, 24, 22, 59, tzinfo=UTC))
    assert not is_away(date(2026, 11, 24), BERLIN, now=datetime(2026, 11, 24, 23, tzinfo=UTC))


def test_status_line() -> None:
    assert (
        status_line(SlackStatus(text=" Vacation ", emoji=":palm_tree:")) == ":palm_tree: Vacation"
    )
    assert status_line(SlackStatus()) == ""
