"""Splitting "<deal> <when>" as `/precall` gets it: the time is the longest ending that
reads as one, and the deal is what comes before it.

Strict, so a deal is never named after leftover words: when the word just before the
time looks like part of it ("Initech blursday 11pm", "Acme Corp tomorow 3pm", "Studio
31 10am"), or the ending has the shape of a time that can't be read ("Globex nov 31
23:59"), the whole thing is refused with examples instead of booking a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from rapidfuzz.distance import OSA

from bot.coaching import when
from bot.coaching.calendar_words import DAY_WORDS

#: Words that only make sense as part of a time.
_TIME_WORDS = frozenset(
    {"at", "on", "next", "this", "last", "ago", "in", "by", "before", "after", "the", "of"}
)
_DATE_LIKE = re.compile(r"^\d{1,4}(?:[/.\-]\d{1,4}){0,2}\.?(?:st|nd|rd|th)?$")


@dataclass(frozen=True)
class DealAndTime:
    deal: str
    reading: when.Reading


def split(
    text: str, *, now: datetime, tz: ZoneInfo, date_order: when.DateOrder = "month_first"
) -> DealAndTime:
    """The deal's name and the time, or a :class:`when.WhenProblem` saying how to write it.

    The reading is not yet checked for being in the past; call :func:`when.check`.
    """
    tokens = text.split()
    if tokens and when.interpret(text, now=now, tz=tz, date_order=date_order) is not None:
        raise when.NotATime(
            f"Start with the deal's name, then the time, e.g. `Acme Corp {_example()}`."
        )
    if len(tokens) <= 1:
        raise when.NotATime(f"Say when the call is, too, e.g. `{text.strip()} {_example()}`.")
    for start in range(1, len(tokens)):
        reading = when.interpret(" ".join(tokens[start:]), now=now, tz=tz, date_order=date_order)
        if reading is None:
            continue
        deal_tokens = tokens[:start]
        _refuse_leftover(deal_tokens, " ".join(tokens[start:]))
        deal = " ".join(deal_tokens).strip(" :,-")
        if not deal:
            break
        return DealAndTime(deal, reading)
    raise when.NotATime(
        f"I couldn't find when the call is in “{text.strip()}”. Put the time after the deal "
        f"name, e.g. {when.EXAMPLES} (your time zone, {tz.key})."
    )


def _refuse_leftover(deal_tokens: list[str], time_text: str) -> None:
    last = deal_tokens[-1].casefold().strip(",")
    if last in {"yesterday", "today", "tomorrow"} or last in _TIME_WORDS:
        raise when.NotATime(
            f"I couldn't read “{deal_tokens[-1]} {time_text}” as a time. "
            f"Write it like {when.EXAMPLES}."
        )
    if _DATE_LIKE.match(last) and when.is_clock_only(time_text):
        raise when.ImpossibleDate(
            f"I couldn't read “{deal_tokens[-1]} {time_text}” as a time. If “{deal_tokens[-1]}” "
            f"is part of the deal's name, say the day too, e.g. `… {deal_tokens[-1]} today "
            f"{time_text}`; otherwise write it like {when.EXAMPLES}."
        )
    near = _near_day_word(last)
    if near is not None or (last.endswith("day") and len(last) > 3):
        hint = f" Did you mean `{near}`?" if near else ""
        raise when.UnknownWord(
            f"I don't know “{deal_tokens[-1]}” as a day.{hint} Write the day as `today`, "
            f"`tomorrow`, a weekday like `fri`, or a date like `nov 24`, e.g. {when.EXAMPLES}."
        )


def _near_day_word(word: str) -> str | None:
    """A day or month word ``word`` is a slip away from ("tomorow", "thurday")."""
    if len(word) < 4 or not word.isalpha() or word in DAY_WORDS:
        return None
    best = min(DAY_WORDS, key=lambda known: OSA.distance(word, known))
    allowed = 1 if len(best) <= 5 else 2
    return best if len(best) >= 4 and OSA.distance(word, best) <= allowed else None


def _example() -> str:
    return "tomorrow 10am"
