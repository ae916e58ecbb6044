"""Reading `/precall` and `/debrief` text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import CallType
from bot.slack.call_forms import (
    CancelCall,
    CommandError,
    DebriefForm,
    DebriefHelp,
    ListCalls,
    PrecallHelp,
    ScheduleCall,
    TipFeedback,
    parse_debrief,
    parse_precall,
    read_debrief_view,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
SAM = "<@U0SAM0001|sam>"


def precall(text: str) -> object:
    return parse_precall(text, now=NOW, tz=NEW_YORK)


def test_deal_when_se_and_type() -> None:
    assert precall(f"Acme Corp tomorrow 10am with {SAM} demo") == ScheduleCall(
        deal="Acme Corp",
        starts_at=datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
        call_type=CallType.DEMO,
        se="U0SAM0001",
    )


@pytest.mark.parametrize(
    ("text", "deal", "hour", "call_type", "se"),
    [
        ("Acme tomorrow 10am", "Acme", 15, CallType.DISCOVERY, None),
        ("Friday Foods fri 10am negotiation", "Friday Foods", 15, CallType.NEGOTIATION, None),
        (f"Globex: tomorrow 9am {SAM}", "Globex", 14, CallType.DISCOVERY, "U0SAM0001"),
        ("Initech in 2h technical", "Initech", 11, CallType.TECHNICAL, None),
        ("Acme Corp 2026-11-24 10:00 demo", "Acme Corp", 15, CallType.DEMO, None),
        (
            f"Acme Corp tomorrow at 10am demo with {SAM}",
            "Acme Corp",
            15,
            CallType.DEMO,
            "U0SAM0001",
        ),
    ],
)
def test_the_deal_is_everything_before_the_time(
    text: str, deal: str, hour: int, call_type: CallType, se: str | None
) -> None:
    parsed = precall(text)
    assert isinstance(parsed, ScheduleCall), parsed
    assert (parsed.deal, parsed.starts_at.hour, parsed.call_type, parsed.se) == (
        deal,
        hour,
        call_type,
        se,
    )


def test_list_cancel_and_help() -> None:
    assert precall("") == PrecallHelp()
    assert precall("help") == PrecallHelp()
    assert precall("list") == ListCalls()
    assert precall("feedback") == TipFeedback()
    assert precall("cancel #12") == CancelCall(12)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Acme", "Say when the call is"),
        ("Acme Corp", "couldn't find when"),
        ("Acme Corp sometime soon", "couldn't find when"),
        ("Acme today 3am", "has already passed"),
        ("Acme tomorrow 10am with @sam", "couldn't tell who @sam is"),
        (f"Acme tomorrow 10am with {SAM} <@U0SASHA01|sasha>", "Name one SE"),
        ("tomorrow 10am", "Start with the deal's name"),
    ],
)
def test_bad_text_says_how_to_write_it(text: str, words: str) -> None:
    parsed = precall(text)
    assert isinstance(parsed, CommandError)
    assert words in parsed.message


def test_debrief_text_and_view() -> None:
    assert parse_debrief("help") == DebriefHelp()
    assert parse_debrief("") == DebriefForm(None)
    assert parse_debrief(" Acme Corp ") == DebriefForm("Acme Corp")
    view = {
        "private_metadata": '{"call_id": "7", "response_url": ""}',
        "state": {
            "values": {
                "deal": {"deal": {"type": "plain_text_input", "value": "Acme"}},
                "paraphrase": {"paraphrase": {"type": "plain_text_input", "value": "They lose"}},
                "se": {"se": {"type": "users_select", "selected_user": "U0SAM0001"}},
            }
        },
    }
    draft = read_debrief_view(view)
    assert (draft.deal_name, draft.text, draft.se_slack_id, draft.call_id) == (
        "Acme",
        "They lose",
        "U0SAM0001",
        7,
    )


def test_a_date_open_to_two_readings_is_stated_back_in_the_order_asked() -> None:
    month_first = parse_precall("Acme 12/1 9am", now=NOW, tz=NEW_YORK)
    assert isinstance(month_first, ScheduleCall)
    assert month_first.notes == ("read 12/1 as 1 Dec 2026 (month first)",)
    day_first = parse_precall("Acme 12/1 9am", now=NOW, tz=NEW_YORK, date_order="day_first")
    assert isinstance(day_first, ScheduleCall)
    assert day_first.notes == ("read 12/1 as 12 Jan 2027 (day first)",)
    assert day_first.starts_at == datetime(2027, 1, 12, 14, 0, tzinfo=UTC)
