"""Reading /qualify: the command's text and the forms' state."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.coaching.qualification import Answer, AnswerInput
from bot.slack.forms import CommandError
from bot.slack.qualify_forms import (
    Mode,
    Qualify,
    QualifyHelp,
    deal_errors,
    parse_qualify,
    read_answers,
    read_deal_view,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", QualifyHelp()),
        (" help ", QualifyHelp()),
        ("Acme Corp", Qualify("Acme Corp")),
        ("Acme Corp all", Qualify("Acme Corp", Mode.ALL)),
        ("Acme Corp SUMMARY", Qualify("Acme Corp", Mode.SUMMARY)),
        ("Acme Corp details", Qualify("Acme Corp", Mode.DETAILS)),
        ("Acme Corp using bant", Qualify("Acme Corp", Mode.WALK, "bant")),
        ("Acme Corp all using MEDDPICC", Qualify("Acme Corp", Mode.ALL, "MEDDPICC")),
        ("AT&amp;T &lt;EU&gt;", Qualify("AT&T <EU>")),  # Slack escapes &, < and >
        ("Housing Co", Qualify("Housing Co")),
        ("Stall", Qualify("Stall")),
    ],
)
def test_parse(text: str, expected: object) -> None:
    assert parse_qualify(text) == expected


@pytest.mark.parametrize("text", ["all", "using bant", "summary using bant"])
def test_a_mode_without_a_deal_says_how_to_write_it(text: str) -> None:
    parsed = parse_qualify(text)
    assert isinstance(parsed, CommandError)
    assert "Which deal?" in parsed.message and "/qualify Acme Corp" in parsed.message


def answer_state(key: str, answer: str | None, evidence: str | None) -> dict[str, Any]:
    option = {"value": answer, "text": {"type": "plain_text", "text": answer}} if answer else None
    return {
        f"qualify_answer.{key}": {
            "qualify_answer": {"type": "radio_buttons", "selected_option": option}
        },
        f"qualify_evidence.{key}": {
            "qualify_evidence": {"type": "plain_text_input", "value": evidence}
        },
    }


def form(*items: tuple[str, str | None, str | None]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"type": "section", "block_id": "intro"}]
    values: dict[str, Any] = {}
    for key, answer, evidence in items:
        blocks += [
            {"type": "input", "block_id": f"qualify_answer.{key}"},
            {"type": "input", "block_id": f"qualify_evidence.{key}"},
        ]
        values |= answer_state(key, answer, evidence)
    return {"blocks": blocks, "state": {"values": values}}


def test_read_answers_in_form_order_with_errors_on_the_right_block() -> None:
    answers, errors = read_answers(
        form(
            ("need", "yes", " They said so "),
            ("budget", None, None),
            ("timeline", None, "Q2, maybe"),
            ("authority", "no", "x" * 2001),
        )
    )
    assert answers[:2] == [
        AnswerInput("need", Answer.YES, "They said so"),
        AnswerInput("budget", None, None),
    ]
    assert set(errors) == {"qualify_answer.timeline", "qualify_evidence.authority"}


def test_read_deal_view() -> None:
    view = {
        "blocks": [{"type": "input", "block_id": "deal_owner"}],
        "state": {
            "values": {
                "deal": {"deal": {"type": "plain_text_input", "value": "Initech EU"}},
                "deal_owner": {"deal_owner": {"type": "users_select", "selected_user": "U0REP1"}},
                "deal_amount": {"deal_amount": {"type": "number_input", "value": "48000"}},
                "close_date": {"close_date": {"type": "datepicker", "selected_date": "2027-01-15"}},
            }
        },
    }
    draft, errors = read_deal_view(view, name="Initech")
    assert errors == {}
    assert (draft.name, draft.owner_slack_id, draft.amount, draft.close_date) == (
        "Initech EU",
        "U0REP1",
        48000,
        date(2027, 1, 15),
    )
    view["state"]["values"]["deal_amount"]["deal_amount"]["value"] = "lots"
    _, errors = read_deal_view(view, name="Initech")
    assert "couldn't read “lots” as an amount" in errors["deal_amount"]
    # A service error for a field the form lacks still lands somewhere visible.
    assert deal_errors({"name": "taken"}, view) == {"deal_owner": "taken"}
    assert deal_errors({"close_date": "in the past"}, view) == {"deal_owner": "in the past"}
