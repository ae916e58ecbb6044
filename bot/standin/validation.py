"""Block Kit checks: slack_sdk's models plus the limits Slack enforces on top of them.

A block or view is parsed with slack_sdk's model classes and turned back into a dict, which
runs every validator of every nested object. A key the models dropped on the way is a key
Slack does not know either (a typo such as ``acessory``), and is reported as such.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100

#: Top-level keys a view may carry (what slack_sdk's View knows, plus a workflow-step flag).
VIEW_KEYS = frozenset(View.attributes) | {"submit_disabled"}


class InvalidJson(ValueError):
    """An argument that should hold JSON does not."""


def decode_json_arg(value: Any) -> Any:
    """Blocks and views arrive as JSON strings in form bodies and as values in JSON bodies."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise InvalidJson(str(exc)) from exc
    return value


def _dropped_keys(given: Any, kept: Any, pointer: str) -> list[str]:
    """Keys (with a value) present in ``given`` that the model round trip lost."""
    found: list[str] = []
    if isinstance(given, Mapping) and isinstance(kept, Mapping):
        for key, value in given.items():
            if value is None:
                continue
            if key not in kept:
                found.append(f"{pointer}/{key}")
            else:
                found.extend(_dropped_keys(value, kept[key], f"{pointer}/{key}"))
    elif isinstance(given, list) and isinstance(kept, list) and len(given) == len(kept):
        for index, (a, b) in enumerate(zip(given, kept, strict=True)):
            found.extend(_dropped_keys(a, b, f"{pointer}/{index}"))
    return found


def _check_block(block: Any, pointer: str) -> list[str]:
    if not isinstance(block, Mapping):
        return [f"[ERROR] a block must be an object [json-pointer:{pointer}]"]
    try:
        parsed = Block.parse(dict(block))
        if parsed is None:
            return [f"[ERROR] unknown block type {block.get('type')!r} [json-pointer:{pointer}]"]
        rendered = parsed.to_dict()
    except (SlackObjectFormationError, TypeError, KeyError, ValueError, AttributeError) as exc:
        return [f"[ERROR] {exc} [json-pointer:{pointer}]"]
    dropped = _dropped_keys(block, rendered, pointer)
    return [f"[ERROR] unsupported property [json-pointer:{p}]" for p in dropped]


def _action_ids(block: Mapping[str, Any]) -> list[str]:
    elements: list[Any] = []
    if isinstance(block.get("elements"), list):
        elements.extend(block["elements"])
    for key in ("accessory", "element"):
        if isinstance(block.get(key), Mapping):
            elements.append(block[key])
    return [e["action_id"] for e in elements if isinstance(e, Mapping) and e.get("action_id")]


def check_blocks(blocks: Any, *, limit: int, pointer: str = "/blocks") -> list[str]:
    """Problems with a list of blocks, in Slack's ``[ERROR] ... [json-pointer:...]`` wording."""
    if not isinstance(blocks, list):
        return [f"[ERROR] blocks must be an array [json-pointer:{pointer}]"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]")
    seen_block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        here = f"{pointer}/{index}"
        problems.extend(_check_block(block, here))
        if not isinstance(block, Mapping):
            continue
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in seen_block_ids:
                problems.append(
                    f"[ERROR] block_id {block_id!r} already exists [json-pointer:{here}]"
                )
            seen_block_ids.add(block_id)
        action_ids = _action_ids(block)
        for action_id in sorted({a for a in action_ids if action_ids.count(a) > 1}):
            problems.append(f"[ERROR] action_id {action_id!r} already exists [json-pointer:{here}]")
    return problems


def check_view(view: Any, *, allowed_types: tuple[str, ...] = ("modal", "home")) -> list[str]:
    """Problems with a view object (``view`` argument of views.*)."""
    if not isinstance(view, Mapping):
        return ["[ERROR] failed to match all allowed schemas [json-pointer:/view]"]
    problems: list[str] = []
    kind = view.get("type")
    if kind not in allowed_types:
        expected = " or ".join(repr(t) for t in allowed_types)
        problems.append(f"[ERROR] type must be {expected} [json-pointer:/view/type]")
    for key in sorted(set(view) - VIEW_KEYS):
        problems.append(f"[ERROR] unsupported property [json-pointer:/view/{key}]")
    blocks = view.get("blocks")
    if blocks is None:
        problems.append("[ERROR] missing required field: blocks [json-pointer:/view/blocks]")
    else:
        problems.extend(check_blocks(blocks, limit=VIEW_BLOCK_LIMIT, pointer="/view/blocks"))
    for key in ("title", "submit", "close"):
        text = view.get(key)
        if text is not None and not (
            isinstance(text, Mapping) and text.get("type") == "plain_text"
        ):
            problems.append(f"[ERROR] must be a plain_text text object [json-pointer:/view/{key}]")
    if kind == "modal":
        if not view.get("title"):
            problems.append("[ERROR] missing required field: title [json-pointer:/view/title]")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, Mapping) and b.get("type") == "input" for b in blocks
        )
        if has_input and not view.get("submit"):
            problems.append(
                "[ERROR] a modal with input blocks must have a submit button "
                "[json-pointer:/view/submit]"
            )
    if problems:
        return problems
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError, ValueError, AttributeError) as exc:
        problems.append(f"[ERROR] {exc} [json-pointer:/view]")
    return problems


#: Slack's limits on an options load answer (external_select).
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150


def check_options_answer(answer: Any) -> list[str]:
    """What is wrong with an app's answer to a ``block_suggestion``: it must be an object
    with ``options`` (at most 100) or ``option_groups`` (at most 100, each a label and at
    most 100 options); every option plain text of at most 75 characters and a value of at
    most 150."""
    if not isinstance(answer, Mapping):
        return ["/: the answer must be a JSON object"]
    keys = set(answer) & {"options", "option_groups"}
    if len(keys) != 1:
        return ["/: give exactly one of options or option_groups"]
    if "options" in answer:
        return _check_options(answer["options"], "/options")
    groups = answer["option_groups"]
    if not isinstance(groups, list) or not 1 <= len(groups) <= OPTIONS_MAX:
        return [f"/option_groups: a list of 1 to {OPTIONS_MAX} groups"]
    problems: list[str] = []
    for index, group in enumerate(groups):
        pointer = f"/option_groups/{index}"
        if not isinstance(group, Mapping):
            problems.append(f"{pointer}: a group is an object")
            continue
        problems += _check_text(group.get("label"), f"{pointer}/label")
        problems += _check_options(group.get("options"), f"{pointer}/options")
    return problems


def _check_options(options: Any, pointer: str) -> list[str]:
    if not isinstance(options, list):
        return [f"{pointer}: must be a list"]
    if len(options) > OPTIONS_MAX:
        return [f"{pointer}: {len(options)} options; Slack shows at most {OPTIONS_MAX}"]
    problems: list[str] = []
    values: set[str] = set()
    for index, option in enumerate(options):
        where = f"{pointer}/{index}"
        if not isinstance(option, Mapping):
            problems.append(f"{where}: an option is an object")
            continue
        problems += _check_text(option.get("text"), f"{where}/text")
        value = option.get("value")
        if not isinstance(value, str) or not 1 <= len(value) <= OPTION_VALUE_MAX:
            problems.append(f"{where}/value: a string of 1 to {OPTION_VALUE_MAX} characters")
        elif value in values:
            problems.append(f"{where}/value: {value!r} appears twice")
        else:
            values.add(value)
        unknown = set(option) - {"text", "value", "description", "url"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
    return problems


def _check_text(text: Any, pointer: str) -> list[str]:
    if not isinstance(text, Mapping) or text.get("type") != "plain_text":
        return [f"{pointer}: must be a plain_text object"]
    body = text.get("text")
    if not isinstance(body, str) or not 1 <= len(body) <= OPTION_TEXT_MAX:
        return [f"{pointer}/text: 1 to {OPTION_TEXT_MAX} characters"]
    return []
