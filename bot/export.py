"""`dealcoach export gaps|handoffs`: write rows as CSV or JSON (one array of objects)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TextIO

FORMATS = ("csv", "json")


def parse_since(text: str) -> datetime:
    """``2026-11-30`` → midnight UTC that day; anything else says how to write it."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"--since takes a date as YYYY-MM-DD, e.g. 2026-11-30 (got {text!r})"
        ) from None
    return datetime.combine(day, datetime.min.time(), UTC)


def write(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, out: TextIO) -> int:
    """Write every row; returns how many. CSV has a header row; JSON is one array."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
        return count
    if fmt != "json":
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps({column: row[column] for column in columns}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
