"""Block Kit as plain text for the terminal: sections, fields, context, numbered buttons, forms."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>")
# *bold*, _italic_, ~strike~ only when they wrap words, so "5 * 3" keeps its asterisk.
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=\S)(.+?)(?<=\S)\1(?![\w*_~])")
_EMOJI = {
    ":handshake:": "🤝",
    ":warning:": "⚠️",
    ":white_check_mark:": "✅",
    ":wave:": "👋",
    ":bell:": "🔔",
}


@dataclass(frozen=True)
class Choice:
    """A button the person can press, by number."""

    number: int
    label: str
    action_id: str
    block_id: str
    value: str | None


@dataclass(frozen=True)
class FormField:
    """One input of a modal, to be asked at the prompt."""

    block_id: str
    action_id: str
    label: str
    kind: str  # text, multiline, date, number, user, select
    optional: bool
    initial: str | None
    hint: str | None
    options: tuple[tuple[str, str], ...]
    placeholder: str | None


def mrkdwn_to_text(text: str, names: Mapping[str, str]) -> str:
    """Slack's mrkdwn as a person would read it: names for mentions, no markup."""

    def user(match: re.Match[str]) -> str:
        return "@" + (names.get(match.group(1)) or match.group(2) or match.group(1))

    text = _USER.sub(user, text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    for code, emoji in _EMOJI.items():
        text = text.replace(code, emoji)
    # A quote is a line starting with a literal ">"; an escaped "&gt;" is the person's text.
    lines = ["│ " + line[1:] if line.startswith(">") else line for line in text.split("\n")]
    return html.unescape("\n".join(lines))


def _text_of(obj: JsonDict | None, names: Mapping[str, str]) -> str:
    if not obj:
        return ""
    text = str(obj.get("text", ""))
    return mrkdwn_to_text(text, names) if obj.get("type") == "mrkdwn" else html.unescape(text)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        prefix = "│ " if line.startswith("│ ") else ""
        body = line[len(prefix) :]
        wrapped = textwrap.wrap(
            body, width=width - len(indent) - len(prefix), break_long_words=True
        ) or [""]
        lines.extend(indent + prefix + part for part in wrapped)
    return lines


def _buttons(elements: list[JsonDict], block_id: str, next_number: int) -> tuple[str, list[Choice]]:
    shown: list[str] = []
    choices: list[Choice] = []
    for element in elements:
        if element.get("type") != "button":
            shown.append(f"[{element.get('type', 'element')}]")
            continue
        label = html.unescape(str(element.get("text", {}).get("text", "")))
        choice = Choice(
            next_number + len(choices),
            label,
            str(element.get("action_id", "")),
            block_id,
            element.get("value"),
        )
        choices.append(choice)
        shown.append(f"[{choice.number}] {label}")
    return "  " + "   ".join(shown), choices


def _initial_shown(element: JsonDict) -> str:
    for key in ("initial_value", "initial_date", "initial_user"):
        if element.get(key):
            return str(element[key])
    option = element.get("initial_option")
    return str(option.get("text", {}).get("text", "")) if option else ""


def render_blocks(
    blocks: list[JsonDict],
    names: Mapping[str, str],
    *,
    first_choice: int = 1,
    width: int = 88,
) -> tuple[list[str], list[Choice]]:
    """Lines of text for these blocks, and the numbered buttons among them."""
    lines: list[str] = []
    choices: list[Choice] = []
    for block in blocks:
        kind = block.get("type")
        block_id = str(block.get("block_id", ""))
        if kind == "header":
            title = _text_of(block.get("text"), names)
            lines += [title, "─" * min(len(title), width)]
        elif kind == "section":
            if block.get("text"):
                lines += _wrap(_text_of(block["text"], names), width)
            for field in block.get("fields") or []:
                lines += _wrap(_text_of(field, names), width, indent="  ")
            accessory = block.get("accessory")
            if accessory:
                line, found = _buttons([accessory], block_id, first_choice + len(choices))
                lines.append(line)
                choices += found
        elif kind == "context":
            parts = [
                f"[image: {e.get('alt_text', '')}]"
                if e.get("type") == "image"
                else _text_of(e, names)
                for e in block.get("elements", [])
            ]
            lines += _wrap(" · ".join(parts), width, indent="  ")
        elif kind == "actions":
            line, found = _buttons(block.get("elements", []), block_id, first_choice + len(choices))
            lines.append(line)
            choices += found
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "input":
            label = _text_of(block.get("label"), names)
            lines.append(f"  {label}: {_initial_shown(block.get('element', {}))}".rstrip())
        else:
            lines.append(f"[{kind} block]")
    return lines, choices


def render_message(
    text: str,
    blocks: list[JsonDict] | None,
    names: Mapping[str, str],
    *,
    first_choice: int = 1,
    width: int = 88,
) -> tuple[list[str], list[Choice]]:
    """A message as the terminal shows it: its blocks, or its text when it has none."""
    if blocks:
        return render_blocks(blocks, names, first_choice=first_choice, width=width)
    return _wrap(mrkdwn_to_text(text, names), width), []


_KINDS = {
    "datepicker": "date",
    "number_input": "number",
    "users_select": "user",
    "static_select": "select",
    "radio_buttons": "select",
}


def form_fields(view: JsonDict) -> list[FormField]:
    """The input blocks of a modal, in order, as fields to ask."""
    fields: list[FormField] = []
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block.get("element", {})
        kind = _KINDS.get(element.get("type", ""), "text")
        if kind == "text" and element.get("multiline"):
            kind = "multiline"
        initial = (
            element.get("initial_value")
            or element.get("initial_date")
            or element.get("initial_user")
            or (element.get("initial_option") or {}).get("value")
        )
        options = tuple(
            (str(o["value"]), html.unescape(str(o["text"]["text"])))
            for o in element.get("options", [])
        )
        fields.append(
            FormField(
                block_id=str(block.get("block_id", "")),
                action_id=str(element.get("action_id", "")),
                label=html.unescape(str(block.get("label", {}).get("text", ""))),
                kind=kind,
                optional=bool(block.get("optional", False)),
                initial=str(initial) if initial else None,
                hint=(block.get("hint") or {}).get("text"),
                options=options,
                placeholder=(element.get("placeholder") or {}).get("text"),
            )
        )
    return fields


def view_title(view: JsonDict) -> str:
    return html.unescape(str((view.get("title") or {}).get("text", "Form")))


def view_submit_label(view: JsonDict) -> str:
    return html.unescape(str((view.get("submit") or {}).get("text", "Submit")))
