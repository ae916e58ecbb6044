"""Reading the `/coach settings` modal: every time and weekday range-checked, by field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from bot.config import Weekday
from bot.slack.ids import Field

_TIME = re.compile(r"^(?P<h>[01]\d|2[0-3]):(?P<m>[0-5]\d)$")
TIME_HINT = "Pick a time from the list, e.g. 09:00."
DAYS_HINT = "Pick your working days from the list, e.g. Monday to Friday."


@dataclass
class SettingsInput:
    start: time | None = None
    end: time | None = None
    days: list[Weekday] = field(default_factory=list)
    digest_at: time | None = None
    #: block_id → what is wrong and how to fix it.
    errors: dict[str, str] = field(default_factory=dict)


def _element(values: dict[str, Any], which: Field) -> dict[str, Any]:
    block = values.get(which.value)
    element = block.get(which.value) if isinstance(block, dict) else None
    return element if isinstance(element, dict) else {}


def _time(values: dict[str, Any], which: Field, errors: dict[str, str]) -> time | None:
    raw = _element(values, which).get("selected_time")
    if raw is None or raw == "":
        return None
    found = _TIME.match(raw) if isinstance(raw, str) else None
    if found is None:
        errors[which.value] = TIME_HINT
        return None
    return time(int(found.group("h")), int(found.group("m")))


def read_settings(values: Any) -> SettingsInput:
    """The modal's state → times, days and field errors (forged values named by field)."""
    read = SettingsInput()
    if not isinstance(values, dict):
        read.errors[Field.WORK_START.value] = TIME_HINT
        return read
    read.start = _time(values, Field.WORK_START, read.errors)
    read.end = _time(values, Field.WORK_END, read.errors)
    read.digest_at = _time(values, Field.DIGEST_AT, read.errors)
    options = _element(values, Field.WORK_DAYS).get("selected_options") or []
    known = {day.value for day in Weekday}
    raw_days = [o.get("value") if isinstance(o, dict) else None for o in options]
    if not isinstance(options, list) or any(day not in known for day in raw_days):  # forged
        read.errors[Field.WORK_DAYS.value] = DAYS_HINT
    else:
        read.days = [Weekday(day) for day in raw_days if isinstance(day, str)]
    if not read.errors and (read.start is None or read.end is None):
        read.errors[Field.WORK_START.value] = "Pick both times."
    return read
