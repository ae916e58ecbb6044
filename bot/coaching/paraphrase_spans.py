"""Finding words in a paraphrase: lowercasing, blanking spans, turning matches into quotes.

Helpers for ``paraphrase``: positions always refer to the original text, so a finding can
quote the rep's words exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.coaching import paraphrase_words as w

Span = tuple[int, int]


def literal(phrases: Iterable[str]) -> list[re.Pattern[str]]:
    """Config words as patterns: whole words, any case, with their plural or -ing/-ed forms."""
    return [
        re.compile(
            r"(?<![\w-])" + re.escape(phrase.strip().lower()) + r"(?:s|es|d|ed|ing)?(?![\w-])"
        )
        for phrase in phrases
        if phrase.strip()
    ]


def lower(text: str) -> str:
    """``text`` in lower case, letter for letter (positions line up with ``text``)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def blank(text: str, spans: Iterable[Span]) -> str:
    """``text`` with ``spans`` replaced by spaces, so positions still line up."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def spans(searched: str, patterns: Sequence[re.Pattern[str]]) -> list[Span]:
    return sorted(
        match.span()
        for pattern in patterns
        for match in pattern.finditer(searched)
        if match.end() > match.start()
    )


def dismissive(voice: str) -> list[Span]:
    """“No problem” and its cousins, but not “budget is no problem for them”."""
    return [
        match.span()
        for match in w.NO_PROBLEM.finditer(voice)
        if not w.NOT_DISMISSIVE_BEFORE.search(voice[max(0, match.start() - 40) : match.start()])
        and not w.NOT_DISMISSIVE_AFTER.match(voice[match.end() : match.end() + 40])
    ]


def we_talk(voice: str, excluded: Sequence[Span], team_words: Sequence[str]) -> list[Span]:
    """“we”/“our” (and the team's own words) outside solution talk and reporting.

    A “we” in the same clause as solution talk is that solution talk's subject (“we'll
    plug our sensors in”), so it counts once, as solution talk; “our engineers” still counts.
    """
    skip = [*excluded, *(m.span() for m in w.REPORTING.finditer(voice))]
    found: list[Span] = []
    for start, end in spans(voice, [w.WE, *literal(team_words)]):
        clause_end = min(
            (i for c in ".;!?,:" if (i := voice.find(c, end)) >= 0), default=len(voice)
        )
        subject = voice.startswith("we", start)
        if not any(s <= start < e or (subject and end <= s < clause_end) for s, e in skip):
            found.append((start, end))
    return found


def why_now(text: str) -> list[Span]:
    return [
        match.span()
        for match in w.WHY_NOW.finditer(text)
        if not w.PAST_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        and not w.PAST_AFTER.match(text[match.end() : match.end() + 20])
    ]


def clause(text: str, span: Span) -> str | None:
    """The rep's clause around ``span``, up to a dozen words, for an example in their terms."""
    start = max(text.rfind(mark, 0, span[0]) for mark in ".;:!?\n,(") + 1
    ends = [i for mark in ".;:!?\n,)" if (i := text.find(mark, span[1])) >= 0]
    clause = " ".join(text[start : min(ends, default=len(text))].split())
    words = clause.split()
    if len(words) < 3 or len(words) > 12 or any(c in clause for c in '"“”‘'):
        return None
    return clause[0].upper() + clause[1:]


def quotes(text: str, spans: Sequence[Span], *, follow: bool = False) -> tuple[str, ...]:
    """Distinct spans as written in ``text``, in reading order, at most four.

    Spans that overlap or touch ("with our" + "our platform") become one quote; with
    ``follow`` each quote takes the next word too (“our account”, not just “our”).
    """
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found: list[str] = []
    for start, end in merged:
        if follow and (after := re.match(r"\s+[\w'’-]+", text[end:])):
            end += after.end()
        words = re.sub(r"\s+", " ", text[start:end]).strip(" ,;")
        if words.casefold() not in {quote.casefold() for quote in found}:
            found.append(words)
    return tuple(found[:4])
