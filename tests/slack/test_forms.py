"""Reading `/handoff` text and the handoff modal's state."""

from __future__ import annotations

from datetime import date

import pytest

from bot.slack import forms
from bot.slack.ids import Field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", forms.HandoffForm()),
        ("list", forms.ListHandoffs()),
        (" HELP ", forms.HandoffHelp()),
        (
            "<@U0SE00001|sam> Acme Corp: SSO with Okta fails for EU users",
            forms.QuickHandoff("Acme Corp", "SSO with Okta fails for EU users", "U0SE00001"),
        ),
        (
            "<@W0SE00001> Acme: Export: times out at 10k rows",
            forms.QuickHandoff("Acme", "Export: times out at 10k rows", "W0SE00001"),
        ),
        ("Acme Corp: SSO fails", forms.QuickHandoff("Acme Corp", "SSO fails", None)),
        ("<@U0SE00001|sam> Acme Corp", forms.HandoffForm(deal="Acme Corp", assignee="U0SE00001")),
        ("<@U0SE00001|sam>", forms.HandoffForm(assignee="U0SE00001")),
        ("Acme Corp:", forms.HandoffForm(deal="Acme Corp")),
        (": SSO fails", forms.HandoffForm(problem="SSO fails")),
    ],
)
def test_parse_handoff(text: str, expected: forms.HandoffCommand) -> None:
    assert forms.parse_handoff(text) == expected


def test_an_unresolved_at_name_explains_how_to_mention() -> None:
    parsed = forms.parse_handoff("@sam Acme: SSO fails")
    assert isinstance(parsed, forms.CommandError)
    assert "@sam" in parsed.message and "/handoff @se Deal name:" in parsed.message


def state(**fields: dict[str, object]) -> dict[str, object]:
    return {"state": {"values": {name: {name: value} for name, value in fields.items()}}}


def test_read_handoff_view_types_every_field() -> None:
    view = state(
        deal={"type": "plain_text_input", "value": "Acme"},
        problem={"type": "plain_text_input", "value": "It fails"},
        business_impact={"type": "plain_text_input", "value": None},
        deadline={"type": "datepicker", "selected_date": "2026-11-27"},
        deal_value={"type": "number_input", "value": "1500"},
        rep_hours={"type": "number_input", "value": "1.5"},
        assignee={"type": "users_select", "selected_user": "U0SE00001"},
    )
    draft, errors = forms.read_handoff_view(view)
    assert errors == {}
    assert (draft.deal_name, draft.problem, draft.business_impact) == ("Acme", "It fails", None)
    assert draft.deadline == date(2026, 11, 27)
    assert (draft.deal_value, draft.rep_hours, draft.assignee_slack_id) == (1500, 1.5, "U0SE00001")


def test_read_handoff_view_reports_unreadable_numbers_on_their_block() -> None:
    view = state(
        deal_value={"type": "plain_text_input", "value": "a lot"},
        rep_hours={"type": "number_input", "value": "a day"},
    )
    _, errors = forms.read_handoff_view(view)
    assert set(errors) == {Field.DEAL_VALUE, Field.REP_HOURS}
    assert "40k" in errors[Field.DEAL_VALUE]
    view = state(deal_value={"type": "plain_text_input", "value": "$1.5k"})
    draft, errors = forms.read_handoff_view(view)
    assert (draft.deal_value, errors) == (1500, {})


def test_metadata_survives_garbage() -> None:
    assert forms.metadata({"private_metadata": "not json"}) == {}
    assert forms.metadata({"private_metadata": '{"handoff_id": 4}'}) == {"handoff_id": "4"}
