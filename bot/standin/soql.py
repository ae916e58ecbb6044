"""The SOQL the Salesforce stand-in understands: what the adapter writes, no more.

``SELECT a, b, Owner.Email FROM Object [WHERE f op literal [AND …]] [ORDER BY f[, g]]
[LIMIT n]`` with ``=``, ``>``, ``>=``, ``<``, ``<=`` and ``LIKE`` (``%``/``_`` wildcards,
backslash escapes as ``simple_salesforce.format_soql`` writes them); literals are quoted
strings, datetimes (``2026-01-01T00:00:00Z``) and numbers. Reference: the SOQL and SOSL
Reference's SELECT, WHERE (comparison operators, LIKE) and date formats pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

_SELECT = re.compile(
    r"^SELECT (?P<fields>.+?) FROM (?P<object>\w+)(?: WHERE (?P<where>.+?))?"
    r"(?: ORDER BY (?P<order>.+?))?(?: LIMIT (?P<limit>\d+))?\s*$",
    re.S,
)
_CONDITION = re.compile(r"^\s*([\w.]+)\s*(>=|<=|=|>|<|LIKE)\s*(.+?)\s*$", re.S)


@dataclass(frozen=True)
class Query:
    fields: list[str]
    sobject: str
    conditions: list[str]
    order: list[str]
    limit: int | None

    @classmethod
    def parse(cls, soql: str) -> Query:
        match = _SELECT.match(" ".join(soql.split()))
        if match is None:
            raise ValueError("unexpected token: the query is not SELECT … FROM …")
        where = match["where"]
        return cls(
            fields=[name.strip() for name in match["fields"].split(",")],
            sobject=match["object"],
            conditions=re.split(r"\s+AND\s+", where) if where else [],
            order=[key.split()[0] for key in (match["order"] or "").split(",") if key.strip()],
            limit=int(match["limit"]) if match["limit"] else None,
        )

    def columns_used(self) -> list[str]:
        compared = [_column(condition) for condition in self.conditions]
        return [*self.fields, *compared, *self.order]

    def run(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for condition in self.conditions:
            rows = [row for row in rows if _holds(condition, row)]
        for column in reversed(self.order):

            def sort_key(row: dict[str, Any], column: str = column) -> str:
                return str(row.get(column) or "")

            rows.sort(key=sort_key)
        return rows[: self.limit] if self.limit is not None else rows


def _column(condition: str) -> str:
    match = _CONDITION.match(condition)
    if match is None:
        raise ValueError(f"unexpected condition {condition!r}")
    return match[1]


def parse_time(value: str) -> datetime:
    value = unquote(value).replace(" ", "+")
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    if value.endswith("+0000"):
        value = value[:-5] + "+00:00"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _literal(text: str) -> Any:
    if text.startswith("'") and text.endswith("'"):
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    if re.match(r"^\d{4}-\d{2}-\d{2}T", text):
        return parse_time(text)
    return float(text)


def _like_pattern(raw: str) -> str:
    """A SOQL LIKE literal as a regex: ``%`` and ``_`` are wildcards unless escaped."""
    pattern, escaped = [], False
    for char in raw.strip()[1:-1]:
        if escaped:
            pattern.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            pattern.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
    return "".join(pattern)


def _holds(condition: str, row: dict[str, Any]) -> bool:
    match = _CONDITION.match(condition)
    if match is None:
        raise ValueError(f"unexpected condition {condition!r}")
    name, operator, raw = match.groups()
    wanted, value = _literal(raw), row.get(name)
    if operator == "LIKE":
        return re.fullmatch(_like_pattern(raw), str(value or ""), re.I | re.S) is not None
    if isinstance(wanted, datetime):
        value = parse_time(str(value)) if value else None
    if value is None:
        return False
    comparisons = {
        "=": value == wanted,
        ">": value > wanted,
        ">=": value >= wanted,
        "<": value < wanted,
        "<=": value <= wanted,
    }
    return bool(comparisons[operator])
