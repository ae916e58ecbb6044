"""Parsing what people type: slash-command text and modal state, into typed input or errors."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import deals as deal_blocks
from bot.coaching.amounts import AmountProblem, parse_amount
from bot.services import deals
from bot.services.handoffs import HandoffDraft
from bot.slack.ids import Field

HANDOFF_USAGE = (
    "Write it as `/handoff @se Deal name: the customer's problem`, "
    "e.g. `/handoff @sam Acme Corp: SSO with Okta fails for EU users`, "
    "or type just `/handoff` for the full form."
)

# Slack escapes a mention as <@U123|name> (or <@U123> in newer clients).
_MENTION = re.compile(r"^<@(?P<user>[UW][A-Z0-9]+)(?:\|[^>]*)?>\s*")
_RAW_AT = re.compile(r"^@(?P<name>\S+)")


@dataclass(frozen=True)
class ListHandoffs:
    pass


@dataclass(frozen=True)
class HandoffHelp:
    pass


@dataclass(frozen=True)
class QuickHandoff:
    """Everything needed to create it at once; ``assignee`` None means route automatically."""

    deal: str
    problem: str
    assignee: str | None


@dataclass(frozen=True)
class HandoffForm:
    """Open the modal, filled in with whatever the text already said."""

    deal: str | None = None
    problem: str | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class CommandError:
    message: str


HandoffCommand = ListHandoffs | HandoffHelp | QuickHandoff | HandoffForm | CommandError


def parse_handoff(text: str) -> HandoffCommand:
    """Read `/handoff` text. Complete text creates at once; partial text opens the form."""
    text = text.strip()
    if not text:
        return HandoffForm()
    if text.lower() == "list":
        return ListHandoffs()
    if text.lower() in {"help", "?"}:
        return HandoffHelp()
    assignee = None
    mention = _MENTION.match(text)
    if mention:
        assignee = mention.group("user")
        text = text[mention.end() :]
        if _MENTION.match(text.lstrip()):
            return CommandError(
                "A handoff goes to one SE: mention just one (you can reassign it later). "
                + HANDOFF_USAGE
            )
    elif raw := _RAW_AT.match(text):
        return CommandError(
            f"I couldn't tell who @{raw.group('name')} is. Pick the person from Slack's "
            f"suggestions so it becomes a mention. {HANDOFF_USAGE}"
        )
    deal, colon, problem = text.partition(":")
    deal, problem = deal.strip(), problem.strip()
    if deal and (refused := deals.check_name(deal)):
        return CommandError(f"{refused.message} {HANDOFF_USAGE}")
    if colon and deal and problem:
        return QuickHandoff(deal=deal, problem=problem, assignee=assignee)
    return HandoffForm(deal=deal or None, problem=problem or None, assignee=assignee)


# --- modal state ----------------------------------------------------------------------------


def _element(values: dict[str, Any], field: Field) -> dict[str, Any]:
    element: dict[str, Any] = values.get(field.value, {}).get(field.value, {})
    return element


def text_value(values: dict[str, Any], field: Field) -> str | None:
    value = _element(values, field).get("value")
    return value if isinstance(value, str) else None


def deal_value(values: dict[str, Any]) -> tuple[str, int | None]:
    """The deal field's name and, when a known deal was picked from the typeahead, its id
    (a plain text field, as older forms have, gives the name only)."""
    element = _element(values, Field.DEAL)
    if element.get("type") != "external_select":
        return text_value(values, Field.DEAL) or "", None
    option = element.get("selected_option") or {}
    choice = deal_blocks.read_choice(option.get("value"))
    if choice is None:
        return "", None
    if choice.new_name is not None:
        return choice.new_name, None
    text = option.get("text") or {}
    return str(text.get("text") or "") if isinstance(text, dict) else "", choice.deal_id


def user_value(values: dict[str, Any], field: Field) -> str | None:
    value = _element(values, field).get("selected_user")
    return value if isinstance(value, str) and value else None


def option_value(values: dict[str, Any], field: Field) -> str | None:
    """The value of a static select's chosen option."""
    value = (_element(values, field).get("selected_option") or {}).get("value")
    return value if isinstance(value, str) and value else None


def read_handoff_view(
    view: dict[str, Any], *, currency: str = "USD"
) -> tuple[HandoffDraft, dict[str, str]]:
    """The new-handoff modal → (draft, {block_id: error}) for fields that do not parse."""
    values: dict[str, Any] = view.get("state", {}).get("values", {})
    errors: dict[str, str] = {}
    deadline = None
    if raw_date := _element(values, Field.DEADLINE).get("selected_date"):
        try:
            deadline = date.fromisoformat(raw_date)
        except ValueError:
            errors[Field.DEADLINE] = "Pick the date from the calendar."
    amount = None
    if (raw := text_value(values, Field.DEAL_VALUE)) is not None:
        try:
            amount = parse_amount(raw, currency=currency)
        except AmountProblem as problem:
            errors[Field.DEAL_VALUE] = str(problem)
    rep_hours = None
    if (raw := text_value(values, Field.REP_HOURS)) is not None:
        try:
            rep_hours = float(raw)
        except ValueError:
            errors[Field.REP_HOURS] = "Write a number of hours, e.g. 8 or 1.5."
    deal_name, deal_id = deal_value(values)
    draft = HandoffDraft(
        deal_name=deal_name,
        deal_id=deal_id,
        problem=text_value(values, Field.PROBLEM) or "",
        business_impact=text_value(values, Field.BUSINESS_IMPACT),
        tried=text_value(values, Field.TRIED),
        deadline=deadline,
        deal_value=amount,
        rep_hours=rep_hours,
        assignee_slack_id=user_value(values, Field.ASSIGNEE),
        product_area=option_value(values, Field.PRODUCT_AREA),
    )
    return draft, errors


def metadata(view: dict[str, Any]) -> dict[str, str]:
    """A view's private_metadata, which our modals always write as a JSON object."""
    try:
        loaded = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
