"""Parsing /qualify: the command's text, the checklist forms and the deal form."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from bot.coaching import qualification as rules
from bot.coaching.amounts import AmountProblem, parse_amount
from bot.coaching.qualification import AnswerInput
from bot.services.qualification import DealDraft
from bot.slack.forms import CommandError, metadata, text_value, user_value
from bot.slack.ids import Field, item_field

USAGE = (
    "Write it as `/qualify Deal name`, e.g. `/qualify Acme Corp`; add `all` for every item "
    "in one form or `summary` for the gaps, or type `/qualify help`."
)

_USING = re.compile(r"^(?P<rest>.*?)\s*\busing\s+(?P<framework>\S+)$", re.IGNORECASE | re.DOTALL)


class Mode(StrEnum):
    WALK = "walk"
    ALL = "all"
    SUMMARY = "summary"
    DETAILS = "details"


@dataclass(frozen=True)
class QualifyHelp:
    pass


@dataclass(frozen=True)
class Qualify:
    deal: str
    mode: Mode = Mode.WALK
    #: A framework the person asked for by name (``using meddpicc``).
    framework: str | None = None


QualifyCommand = Qualify | QualifyHelp | CommandError


def parse_qualify(text: str) -> QualifyCommand:
    """`/qualify <deal> [all|summary|details] [using <framework>]`."""
    # Slack escapes &, < and > in command text; deal names are plain words.
    text = html.unescape(text).strip()
    if text.lower() in {"", "help", "?"}:
        return QualifyHelp()
    framework = None
    using = _USING.match(text)
    if using:
        text, framework = using.group("rest").strip(), using.group("framework")
    mode = Mode.WALK
    rest, _, last = text.rpartition(" ")
    if last.lower() in {Mode.ALL, Mode.SUMMARY, Mode.DETAILS}:
        mode, text = Mode(last.lower()), rest.strip()
    if not text:
        return CommandError(f"Which deal? {USAGE}")
    return Qualify(deal=text, mode=mode, framework=framework)


# --- the checklist forms -------------------------------------------------------------------


def _item_blocks(view: dict[str, Any]) -> list[str]:
    """Item keys in the order the form shows them."""
    keys: list[str] = []
    for block in view.get("blocks") or []:
        prefix, _, key = str(block.get("block_id", "")).partition(".")
        if block.get("type") == "input" and prefix == Field.QUALIFY_ANSWER and key:
            keys.append(key)
    return keys


def read_answers(view: dict[str, Any]) -> tuple[list[AnswerInput], dict[str, str]]:
    """Every item in a checklist form → (answers, {block_id: error})."""
    values: dict[str, Any] = view.get("state", {}).get("values", {})
    answers: list[AnswerInput] = []
    errors: dict[str, str] = {}
    for key in _item_blocks(view):
        answer_block = item_field(Field.QUALIFY_ANSWER, key)
        evidence_block = item_field(Field.QUALIFY_EVIDENCE, key)
        selected = (
            values.get(answer_block, {}).get(Field.QUALIFY_ANSWER.value, {}).get("selected_option")
        )
        raw_answer = selected.get("value") if isinstance(selected, dict) else None
        raw_evidence = values.get(evidence_block, {}).get(Field.QUALIFY_EVIDENCE.value, {})
        evidence = raw_evidence.get("value") if isinstance(raw_evidence, dict) else None
        given, problems = rules.read_answer(key, raw_answer, evidence)
        answers.append(given)
        if "answer" in problems:
            errors[answer_block] = problems["answer"]
        if "evidence" in problems:
            errors[evidence_block] = problems["evidence"]
    return answers, errors


# --- the deal form -------------------------------------------------------------------------

#: The service's field names → the deal form's blocks.
DEAL_BLOCKS = {
    "name": Field.DEAL,
    "owner": Field.DEAL_OWNER,
    "amount": Field.DEAL_AMOUNT,
    "close_date": Field.CLOSE_DATE,
    "territory": Field.DEAL_TERRITORY,
}


def deal_errors(errors: dict[str, str], view: dict[str, Any]) -> dict[str, str]:
    """Service errors keyed by the deal form's blocks; one the form has no block for goes
    on the owner field (the name, say, which only the new-deal form shows)."""
    present = {str(block.get("block_id")) for block in view.get("blocks") or []}
    mapped: dict[str, str] = {}
    for field, message in errors.items():
        block = DEAL_BLOCKS.get(field)
        if block is not None and block.value in present:
            mapped[block.value] = message
        else:  # nowhere to show it: put it on the first input
            mapped.setdefault(Field.DEAL_OWNER.value, message)
    return mapped


def read_deal_view(
    view: dict[str, Any], *, name: str, currency: str = "USD"
) -> tuple[DealDraft, dict[str, str]]:
    """The deal form → (draft, {block_id: error}) for fields that do not parse."""
    values: dict[str, Any] = view.get("state", {}).get("values", {})
    errors: dict[str, str] = {}
    amount = None
    raw = text_value(values, Field.DEAL_AMOUNT)
    if raw:
        try:
            amount = parse_amount(raw, currency=currency)
        except AmountProblem as problem:
            errors[Field.DEAL_AMOUNT.value] = str(problem)
    close_date = None
    raw_date = values.get(Field.CLOSE_DATE.value, {}).get(Field.CLOSE_DATE.value, {})
    if selected := raw_date.get("selected_date"):
        try:
            close_date = date.fromisoformat(selected)
        except ValueError:
            errors[Field.CLOSE_DATE.value] = "Pick the date from the calendar."
    typed_name = text_value(values, Field.DEAL)
    draft = DealDraft(
        name=name if typed_name is None else typed_name,
        owner_slack_id=user_value(values, Field.DEAL_OWNER),
        amount=amount,
        close_date=close_date,
    )
    return draft, errors


__all__ = [
    "USAGE",
    "CommandError",
    "Mode",
    "Qualify",
    "QualifyCommand",
    "QualifyHelp",
    "deal_errors",
    "metadata",
    "parse_qualify",
    "read_answers",
    "read_deal_view",
]
