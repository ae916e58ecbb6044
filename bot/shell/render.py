"""Block Kit as plain text for the terminal: sections, fields, context, numbered buttons, forms.

Pure functions, no I/O. Mentions read as names, buttons get numbers the person can press,
and a modal's inputs come out as fields to ask one by one.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]
Json = Mapping[str, Any]

# Slack's special parsing: anything between < and > (a literal one is always escaped).
_ANGLE = re.compile(r"<([^<>\n]+)>")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Code is left as written: ```blocks``` first, then `inline` spans on one line.
_CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)
# *bold*, _italic_, ~strike~ only when they wrap words, so "5 * 3" keeps its asterisk
# and snake_case_names keep their underscores.
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=\S)([^\n]*?\S)\1(?![\w*_~])")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
_EMOJI = {
    "handshake": "🤝",
    "calendar": "📅",
    "bulb": "💡",
    "memo": "📝",
    "warning": "⚠️",
    "white_check_mark": "✅",
    "wave": "👋",
    "bell": "🔔",
}
# Stand-ins for finished pieces (names, links, code) while the rest is converted.
_HOLD = re.compile("\ue000(\\d+)\ue001")
_BULLET = re.compile(r"^\s*(?:[•◦▪\-]|\d+[.)])\s+")
_QUOTE = "│ "
_RULE = "─"


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
    kind: str  # text, multiline, date, number, user, select, lookup (and time, multi)
    optional: bool
    initial: str | None
    hint: str | None
    options: tuple[tuple[str, str], ...]  # (value, label)
    placeholder: str | None


# --- mrkdwn ---------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    """Slack escapes exactly these three; anything else that looks like an entity is text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _emoji(text: str) -> str:
    return _EMOJI_CODE.sub(lambda m: _EMOJI.get(m.group(1), m.group(0)), text)


def _at(name: str) -> str:
    return name if name.startswith("@") else "@" + name


def _special(token: str, names: Mapping[str, str]) -> str:
    """What one ``<...>`` reads as: a name, a channel, @here, a date's fallback or a link."""
    target, _, label = token.partition("|")
    label = _unescape(label)
    if target.startswith("@"):
        user = target[1:]
        return _at(names.get(user) or label or user)
    if target.startswith("#"):
        channel = target[1:]
        return "#" + (label or names.get(channel) or channel).lstrip("#")
    if target.startswith("!"):
        command, _, argument = target[1:].partition("^")
        if command in {"here", "channel", "everyone"}:
            return "@" + command
        if command == "subteam":
            return _at(label or argument)
        if command == "date":
            return label or argument.split("^", 1)[0]
        return label or "@" + command
    url = _unescape(target)
    if not _SCHEME.match(url):
        return "<" + _unescape(token) + ">"  # not Slack markup; show what was sent
    if not label or label in {url, url.removeprefix("mailto:")}:
        return label or url
    return f"{label} ({url})"


def _restore(text: str, held: Sequence[str]) -> str:
    return _HOLD.sub(lambda m: held[int(m.group(1))], text)


def mrkdwn_to_text(text: str, names: Mapping[str, str]) -> str:
    """Slack's mrkdwn as a person would read it: names for mentions, links spelled out,
    no emphasis markers, quotes marked with a bar, and ``&amp; &lt; &gt;`` as ``& < >``.

    ``names`` maps Slack ids to display names; an unknown id falls back to the mention's
    ``|label``, else the id itself.
    """
    held: list[str] = []

    def hold(piece: str) -> str:
        held.append(piece)
        return f"\ue000{len(held) - 1}\ue001"

    # Markup first, on the text as sent: an escaped "&lt;@U1&gt;" is the person's text.
    text = _ANGLE.sub(lambda m: hold(_special(m.group(1), names)), text)
    text = _CODE.sub(lambda m: hold(_restore(_unescape(m.group(0)), held)), text)
    lines: list[str] = []
    quoting = False  # after ">>>", the rest of the message is a quote
    for line in text.split("\n"):
        if not quoting and line.startswith(">>>"):
            quoting, line = True, line[3:].removeprefix(" ")
            lines.append(_QUOTE + line)
        elif quoting:
            lines.append(_QUOTE + line)
        elif line.startswith(">"):
            lines.append(_QUOTE + line[1:].removeprefix(" "))
        else:
            lines.append(line)
    text = _emoji("\n".join(lines))
    for _ in range(3):  # *_nested_* markers come off one layer at a time
        stripped = _EMPHASIS.sub(lambda m: m.group(2), text)
        if stripped == text:
            break
        text = stripped
    return _restore(_unescape(text), held)


def _text_of(obj: Json | None, names: Mapping[str, str]) -> str:
    """A text object's words: mrkdwn converted, plain_text with its :emoji: codes shown."""
    if not obj:
        return ""
    text = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return mrkdwn_to_text(text, names)
    text = _unescape(text)
    return text if obj.get("emoji") is False else _emoji(text)


# --- layout ---------------------------------------------------------------------------------


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap each line to ``width``, keeping newlines, quote bars, bullets and code as written."""
    lines: list[str] = []
    in_code = False
    for line in text.split("\n"):
        fences = line.count("```")
        if in_code or fences:
            lines.append((indent + line).rstrip())
            in_code = in_code != (fences % 2 == 1)
            continue
        prefix = _QUOTE if line.startswith(_QUOTE) else ""
        body = line[len(prefix) :]
        bullet = _BULLET.match(body)
        hanging = " " * len(bullet.group(0)) if bullet else ""
        wrapped = textwrap.wrap(
            body,
            width=max(width - len(indent) - len(prefix), 20),
            subsequent_indent=hanging,
            break_long_words=False,  # a long URL stays whole, so it can be copied
            break_on_hyphens=False,
        ) or [""]
        lines.extend((indent + prefix + part).rstrip() for part in wrapped)
    return lines


def _field_text(field: Json, names: Mapping[str, str]) -> str:
    """A section field on one line: "*Label*\\nvalue" reads as "Label: value"."""
    label, _, rest = _text_of(field, names).partition("\n")
    if not rest:
        return label
    value = " ".join(part.removeprefix(_QUOTE).strip() for part in rest.split("\n"))
    return f"{label.rstrip(':')}: {value.strip()}"


def _fields(fields: Sequence[Json], names: Mapping[str, str], width: int) -> list[str]:
    """Fields two to a line where both are short, else one per line."""
    texts = [_field_text(field, names) for field in fields]
    column = (width - 4) // 2
    lines: list[str] = []
    index = 0
    while index < len(texts):
        first = texts[index]
        second = texts[index + 1] if index + 1 < len(texts) else None
        if second is not None and len(first) <= column and len(second) <= column:
            lines.append(f"  {first.ljust(column + 2)}{second}".rstrip())
            index += 2
        else:
            lines += _wrap(first, width, indent="  ")
            index += 1
    return lines


def _element_text(element: Json, names: Mapping[str, str]) -> str:
    """A non-button element, named for what it is."""
    kind = str(element.get("type", "element"))
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    placeholder = _text_of(element.get("placeholder"), names)
    return f"[{kind}: {placeholder}]" if placeholder else f"[{kind}]"


def _buttons(
    elements: Sequence[Json], block_id: str, next_number: int, names: Mapping[str, str]
) -> tuple[list[str], list[Choice]]:
    """Buttons as "[n] Label"; other elements by their type."""
    shown: list[str] = []
    choices: list[Choice] = []
    for element in elements:
        if element.get("type") != "button":
            shown.append(_element_text(element, names))
            continue
        label = _text_of(element.get("text"), names)
        value = element.get("value")
        choice = Choice(
            number=next_number + len(choices),
            label=label,
            action_id=str(element.get("action_id", "")),
            block_id=block_id,
            value=None if value is None else str(value),
        )
        choices.append(choice)
        url = element.get("url")
        shown.append(f"[{choice.number}] {label}" + (f" ({url})" if url else ""))
    return shown, choices


def _row(items: Sequence[str], width: int) -> list[str]:
    """Items on lines of "  a   b   c", starting a new line before one would overflow."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}   {item}" if current else f"  {item}"
        if current and len(candidate) > width:
            lines.append(current)
            candidate = f"  {item}"
        current = candidate
    if current:
        lines.append(current)
    return lines


def _names_of(users: Sequence[Any], names: Mapping[str, str]) -> str:
    return ", ".join(_at(names.get(str(user)) or str(user)) for user in users)


def _initial_shown(element: Json, names: Mapping[str, str]) -> str:
    """What an input holds before the person types, as they would see it."""
    for key in ("initial_value", "initial_date", "initial_time"):
        if element.get(key):
            return str(element[key])
    if element.get("initial_user"):
        return _names_of([element["initial_user"]], names)
    if element.get("initial_users"):
        return _names_of(element["initial_users"], names)
    for key in ("initial_conversation", "initial_channel"):
        if element.get(key):
            channel = str(element[key])
            return "#" + (names.get(channel) or channel)
    option = element.get("initial_option")
    if option:
        return _text_of(option.get("text"), names)
    options = element.get("initial_options") or []
    return ", ".join(_text_of(o.get("text"), names) for o in options)


def render_blocks(
    blocks: Sequence[Json],
    names: Mapping[str, str],
    *,
    first_choice: int = 1,
    width: int = 88,
) -> tuple[list[str], list[Choice]]:
    """Lines of text for these blocks, and the numbered buttons among them.

    Buttons are numbered from ``first_choice`` in the order they appear.
    """
    lines: list[str] = []
    choices: list[Choice] = []
    for block in blocks:
        kind = block.get("type")
        block_id = str(block.get("block_id", ""))
        if kind == "header":
            title = _wrap(_text_of(block.get("text"), names), width)
            lines += [*title, _RULE * max(len(line) for line in title)]
        elif kind == "section":
            if block.get("text"):
                lines += _wrap(_text_of(block["text"], names), width)
            lines += _fields(block.get("fields") or [], names, width)
            accessory = block.get("accessory")
            if accessory:
                shown, found = _buttons([accessory], block_id, first_choice + len(choices), names)
                lines += _row(shown, width)
                choices += found
        elif kind == "context":
            parts = [
                _element_text(e, names) if e.get("type") == "image" else _text_of(e, names)
                for e in block.get("elements", [])
            ]
            lines += _wrap(" · ".join(parts), width, indent="  ")
        elif kind == "actions":
            elements = block.get("elements", [])
            shown, found = _buttons(elements, block_id, first_choice + len(choices), names)
            lines += _row(shown, width)
            choices += found
        elif kind == "divider":
            lines.append(_RULE * 40)
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "input":
            label = _text_of(block.get("label"), names)
            shown_value = _initial_shown(block.get("element") or {}, names)
            lines.append(f"  {label}: {shown_value}".rstrip())
        else:
            lines.append(f"[{kind} block]")
    return lines, choices


def render_message(
    text: str,
    blocks: Sequence[Json] | None,
    names: Mapping[str, str],
    *,
    first_choice: int = 1,
    width: int = 88,
) -> tuple[list[str], list[Choice]]:
    """A message as the terminal shows it: its blocks, or its text when it has none."""
    if blocks:
        return render_blocks(blocks, names, first_choice=first_choice, width=width)
    return _wrap(mrkdwn_to_text(text, names), width), []


# --- modals ---------------------------------------------------------------------------------

_KINDS = {
    "datepicker": "date",
    "number_input": "number",
    "users_select": "user",
    "static_select": "select",
    "radio_buttons": "select",
    "timepicker": "time",
    "checkboxes": "multi",
    "multi_static_select": "multi",
    #: A typeahead (the deal field): the console asks the app for options, then a number.
    "external_select": "lookup",
}


def _options(element: Json) -> tuple[tuple[str, str], ...]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    return tuple((str(o.get("value", "")), _text_of(o.get("text"), {})) for o in options)


def _initial_value(element: Json) -> str | None:
    for key in ("initial_value", "initial_date", "initial_user", "initial_time"):
        if element.get(key):
            return str(element[key])
    option = element.get("initial_option")
    if option and option.get("value"):
        return str(option["value"])
    values = ",".join(str(o.get("value", "")) for o in element.get("initial_options") or [])
    return values or None


def form_fields(view: Json) -> list[FormField]:
    """The input blocks of a modal, in order, as fields to ask."""
    fields: list[FormField] = []
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        kind = _KINDS.get(str(element.get("type", "")), "text")
        if kind == "text" and element.get("multiline"):
            kind = "multiline"
        fields.append(
            FormField(
                block_id=str(block.get("block_id", "")),
                action_id=str(element.get("action_id", "")),
                label=_text_of(block.get("label"), {}),
                kind=kind,
                optional=bool(block.get("optional", False)),
                initial=_initial_value(element),
                hint=_text_of(block.get("hint"), {}) or None,
                options=_options(element),
                placeholder=_text_of(element.get("placeholder"), {}) or None,
            )
        )
    return fields


def view_title(view: Json) -> str:
    """The modal's title."""
    return _text_of(view.get("title"), {}) or "Form"


def view_submit_label(view: Json) -> str:
    """The label of the modal's submit button (Slack's default is "Submit")."""
    return _text_of(view.get("submit"), {}) or "Submit"


def view_close_label(view: Json) -> str:
    """The label of the modal's close button (Slack's default is "Cancel")."""
    return _text_of(view.get("close"), {}) or "Cancel"


def _input_lines(block: Json, names: Mapping[str, str], width: int) -> list[str]:
    """An input as the form shows it: label, what it holds, its placeholder, its options
    (with their descriptions) and its hint underneath."""
    element = block.get("element") or {}
    optional = " (optional)" if block.get("optional") else ""
    lines = [f"▸ {_text_of(block.get('label'), names)}{optional}"]
    shown = _initial_shown(element, names)
    if shown:
        lines += _wrap(f"now: {shown}", width, indent="    ")
    placeholder = _text_of(element.get("placeholder"), names)
    if placeholder and not shown:
        lines += _wrap(f"({placeholder})", width, indent="    ")
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    for number, option in enumerate(options, start=1):
        text = _text_of(option.get("text"), names)
        about = _text_of(option.get("description"), names)
        lines += _wrap(f"{number}. {text}" + (f" — {about}" if about else ""), width, "    ")
    hint = _text_of(block.get("hint"), names)
    if hint:
        lines += _wrap(f"hint: {hint}", width, indent="    ")
    return lines


def render_form(
    view: Json, names: Mapping[str, str], *, first_choice: int = 1, width: int = 88
) -> tuple[list[str], list[Choice]]:
    """A modal as a person sees it, top to bottom: every block's text, context lines,
    each input with its placeholder, options and hint, and its buttons as numbered choices.
    """
    lines: list[str] = []
    choices: list[Choice] = []
    for block in view.get("blocks") or []:
        if block.get("type") == "input":
            lines += _input_lines(block, names, width)
            continue
        shown, found = render_blocks(
            [block], names, first_choice=first_choice + len(choices), width=width
        )
        lines += shown
        choices += found
    return lines, choices
