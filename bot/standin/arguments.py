"""Reading a call's arguments, and the error answer a method gives."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

from bot.standin.store import JsonDict

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class ApiError(Exception):
    """A Slack error answer; ``violation`` marks the ones that reveal a bug in the caller."""

    def __init__(self, error: str, *messages: str, violation: bool = False) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)
        self.violation = violation


def text_arg(args: Mapping[str, Any], name: str) -> str | None:
    """A string argument; absent and empty both read as None."""
    value = args.get(name)
    if value is None or value == "":
        return None
    return str(value)


def flag_arg(args: Mapping[str, Any], name: str) -> bool:
    """A boolean argument: ``true``/``1`` from a form body, a JSON boolean from a JSON one."""
    value = args.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def page(items: list[JsonDict], args: Mapping[str, Any], default: int) -> JsonDict:
    """Cursor pagination the way Slack shapes it (an opaque base64 cursor)."""
    try:
        limit = max(1, min(int(args.get("limit") or default), 999))
        cursor = text_arg(args, "cursor")
        start = int(base64.b64decode(cursor).decode().split(":", 1)[1]) if cursor else 0
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        raise ApiError("invalid_cursor") from exc
    chunk = items[start : start + limit]
    more = start + limit < len(items)
    next_cursor = base64.b64encode(f"offset:{start + limit}".encode()).decode() if more else ""
    return {"messages": chunk, "has_more": more, "response_metadata": {"next_cursor": next_cursor}}
