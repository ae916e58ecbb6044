"""How many rows of the call-time table each parser gets right: ours, dateparser, parsedatetime.

    pip install -e '.[bench]' && python bench/when_parsers.py [--rows]

Every parser's answer goes through the same check as ours (a past moment, or one more than
a year ahead, is refused), so a library is not marked wrong for reading "yesterday 3pm" as
yesterday. A library that returns nothing counts as refusing. The figure is each parser's
share of the table, and the ratio of its count to the hand-written parser's (the baseline).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.coaching import when
from tests.coaching.when_table import NOW, TABLE, TZ

Parser = Callable[[str], datetime | None]


def ours(text: str) -> datetime | None:
    try:
        return when.read(text, now=NOW, tz=TZ)
    except when.WhenProblem:
        return None


def with_dateparser() -> Parser:
    import dateparser

    settings = {
        "RELATIVE_BASE": NOW.astimezone(TZ).replace(tzinfo=None),
        "TIMEZONE": TZ.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "MDY",
    }

    def parse(text: str) -> datetime | None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
        return _checked(found)

    return parse


def with_parsedatetime() -> Parser:
    import parsedatetime

    calendar = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)
    source = NOW.astimezone(TZ).replace(tzinfo=None)

    def parse(text: str) -> datetime | None:
        found, context = calendar.parseDT(text, sourceTime=source, tzinfo=TZ)
        return _checked(found) if context.hasDateOrTime else None

    return parse


def _checked(found: datetime | None) -> datetime | None:
    if found is None:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=TZ)
    at = found.astimezone(UTC)
    if at <= NOW or at - NOW > when.HORIZON:
        return None
    return at


def main() -> None:
    parsers: dict[str, Parser] = {"hand-written (bot.coaching.when)": ours}
    for name, build in (("dateparser", with_dateparser), ("parsedatetime", with_parsedatetime)):
        try:
            parsers[name] = build()
        except ImportError:
            print(f"{name}: not installed (pip install -e '.[bench]')")
    right = {name: 0 for name in parsers}
    show_rows = "--rows" in sys.argv
    for text, expected in TABLE:
        marks = []
        for name, parse in parsers.items():
            answer = parse(text)
            ok = answer == expected
            right[name] += ok
            marks.append(
                "ok " if ok else f"NO ({answer:%Y-%m-%d %H:%M}Z)" if answer else "NO (refused)"
            )
        if show_rows:
            print(f"{text!r:32} " + " | ".join(marks))
    baseline = right["hand-written (bot.coaching.when)"]
    print(f"{len(TABLE)} inputs; right, and ratio to the hand-written parser:")
    for name, count in right.items():
        print(f"  {name:34} {count:3}/{len(TABLE)}  x{count / baseline:.2f}")


if __name__ == "__main__":
    main()
