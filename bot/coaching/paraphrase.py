"""Checking a rep's paraphrase of the customer's problem, with plain rules that show their work.

After a call the rep writes the customer's top problems in their own words, as they
would say them back to the customer. A good paraphrase names a problem of the customer's
(not our offer, not how the call went), says what it costs them and why it matters now,
and stays short enough to say aloud. Each finding quotes the words that triggered it or
says what is missing, so the rep can see exactly what to change; nothing here calls a
network or guesses. The words and shapes live in ``paraphrase_words``, the advice in
``paraphrase_advice``; ``bench/paraphrase_quality.py`` measures both against a labelled set.

Words in quotes, double (“…”, "…") or single (‘…’, '…'), are the customer's own and are
not held against the rep: “we lose a day every close” is the customer talking.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.coaching import paraphrase_advice as advice
from bot.coaching import paraphrase_words as w
from bot.config import DEFAULT_JARGON, Coaching


class FindingKind(StrEnum):
    SOLUTION_TALK = "solution_talk"
    NO_PROBLEM = "no_problem"
    WE_TALK = "we_talk"
    NO_IMPACT = "no_impact"
    NO_WHY_NOW = "no_why_now"
    JARGON = "jargon"
    TOO_LONG = "too_long"
    NO_CUSTOMER_PROBLEM = "no_customer_problem"
    #: No longer raised (a short text gets what it misses instead); kept so stored
    #: reviews from earlier versions still load.
    TOO_SHORT = "too_short"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    #: One line on what was found.
    summary: str
    #: What to do about it.
    advice: str
    #: The words that triggered it, as the rep wrote them (empty for something missing).
    quotes: tuple[str, ...] = ()
    penalty: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "summary": self.summary,
            "advice": self.advice,
            "quotes": list(self.quotes),
            "penalty": self.penalty,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(
            kind=FindingKind(data["kind"]),
            summary=str(data["summary"]),
            advice=str(data["advice"]),
            quotes=tuple(str(q) for q in data.get("quotes", [])),
            penalty=int(data.get("penalty", 0)),
        )


#: With no customer problem named, a paraphrase scores at most this.
NO_PROBLEM_CAP = 40


@dataclass(frozen=True)
class Review:
    #: 0-100: 100 minus the penalties of the findings; at most 40 with no customer problem.
    score: int
    findings: tuple[Finding, ...]
    #: What the paraphrase already does well, with the words that show it.
    strengths: tuple[str, ...]
    words: int
    seconds_aloud: int

    @property
    def kinds(self) -> frozenset[FindingKind]:
        return frozenset(finding.kind for finding in self.findings)

    @property
    def verdict(self) -> str:
        if not self.findings:
            return "Ready to say back to the customer."
        if self.score >= 60:
            return "Close: one or two changes and it's ready."
        return "Worth another pass before you say it back."


@dataclass(frozen=True)
class Rules:
    """The team's words: product names count as solution talk, jargon as jargon."""

    product_names: tuple[str, ...] = ()
    jargon: tuple[str, ...] = tuple(DEFAULT_JARGON)
    #: The team's own words for us (“Team Falcon”, “the pod”): talk about them is we-talk.
    team_words: tuple[str, ...] = ()
    max_seconds_aloud: int = 30
    words_per_minute: int = 150

    @classmethod
    def from_config(cls, coaching: Coaching) -> Rules:
        return cls(
            product_names=tuple(coaching.product_names),
            jargon=tuple(coaching.jargon),
            team_words=tuple(coaching.team_words),
            max_seconds_aloud=coaching.max_seconds_aloud,
            words_per_minute=coaching.words_per_minute,
        )

    @property
    def max_words(self) -> int:
        return self.max_seconds_aloud * self.words_per_minute // 60


_WORD = re.compile(r"[\w$€£'’-]+")
Span = tuple[int, int]


def review(text: str, rules: Rules, *, customer: str | None = None) -> Review:
    """Score ``text`` (0-100) and say why; ``customer`` is the deal's name, if known.

    For example, ``review("No problem, we can fix that with our platform.", Rules())``
    finds solution talk (“we can fix”, “with our platform”), “No problem”, and no
    customer problem at all, and scores it low.
    """
    who = customer.strip() if customer and customer.strip() else "them"
    low = _lower(text)
    voice = _blank(low, [m.span() for m in w.QUOTED.finditer(text)])  # the rep's own words
    words = _WORD.findall(text)
    seconds = round(len(words) * 60 / rules.words_per_minute)
    findings: list[Finding] = []
    strengths: list[str] = []

    solution = _spans(voice, [*w.SOLUTION, *_literal(rules.product_names)])
    dismissive = _dismissive(voice)
    rest = _blank(low, solution + dismissive)  # what is left to name the customer's problem
    sizes = {kind: _spans(rest, patterns) for kind, patterns in w.IMPACT.items()}
    problem = _spans(rest, [w.PROBLEM]) or [
        span for kind, spans in sizes.items() if kind not in {"time", "count"} for span in spans
    ]
    clause = _clause(text, problem[0]) if problem else None
    if solution:
        quotes = _quotes(text, solution)
        findings.append(
            Finding(
                FindingKind.SOLUTION_TALK,
                "It names our offer as the fix, not their problem.",
                advice.solution(quotes, who, clause),
                quotes,
                min(20 + 5 * (len(quotes) - 1), 30),
            )
        )
    if dismissive:
        quotes = _quotes(text, dismissive)
        findings.append(
            Finding(
                FindingKind.NO_PROBLEM,
                "It brushes the problem off.",
                advice.no_problem(quotes, who),
                quotes,
                20,
            )
        )
    we = _we_talk(voice, solution + dismissive, rules.team_words)
    if we:
        quotes = _quotes(text, we, follow=True)
        findings.append(
            Finding(
                FindingKind.WE_TALK,
                "It's about us, not about them.",
                advice.we_talk(quotes, who),
                quotes[:3],
                10,
            )
        )
    if not problem:
        findings.append(
            Finding(
                FindingKind.NO_CUSTOMER_PROBLEM,
                "It doesn't say what is wrong for the customer.",
                advice.no_customer_problem(who),
                (),
                40,
            )
        )
    impact = {
        kind: quotes
        for kind, spans in sizes.items()
        if problem and (quotes := _quotes(text, spans))
    }
    if impact:
        shown = "; ".join(f"{kind} ({advice.join(q[:2])})" for kind, q in impact.items())
        strengths.append(f"Names what it costs them: {shown}.")
    else:
        vague = _quotes(text, _spans(rest, [w.VAGUE_PAIN]))
        findings.append(
            Finding(
                FindingKind.NO_IMPACT,
                "Nothing says what the problem costs them.",
                advice.no_impact(vague, who, clause),
                vague[:2],
                20,
            )
        )
    why_now = _quotes(text, _why_now(low))
    if why_now:
        strengths.append(f"Says why it matters now: {advice.join(why_now[:2])}.")
    else:
        findings.append(
            Finding(
                FindingKind.NO_WHY_NOW,
                "Nothing says why it matters now.",
                advice.no_why_now(who, clause),
                (),
                15,
            )
        )
    jargon = _quotes(text, _spans(voice, [*_literal(rules.jargon), *w.JARGON_SHAPES]))
    if jargon:
        findings.append(
            Finding(
                FindingKind.JARGON,
                "It uses jargon the customer wouldn't say.",
                advice.jargon(jargon, who),
                jargon,
                min(5 * len(jargon), 15),
            )
        )
    if len(words) > rules.max_words:
        tail = " ".join(words[rules.max_words : rules.max_words + 6])
        findings.append(
            Finding(
                FindingKind.TOO_LONG,
                f"{len(words)} words take about {seconds} seconds to say; aim for "
                f"{rules.max_seconds_aloud}.",
                advice.too_long(rules.max_words, rules.max_seconds_aloud),
                (f"…{tail}…",),
                10 if len(words) <= 2 * rules.max_words else 15,
            )
        )
    score = max(0, 100 - sum(finding.penalty for finding in findings))
    if not problem:
        score = min(score, NO_PROBLEM_CAP)
    return Review(score, tuple(findings), tuple(strengths), len(words), seconds)


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding.to_json() for finding in findings])


def findings_from_json(text: str) -> tuple[Finding, ...]:
    return tuple(Finding.from_json(item) for item in json.loads(text or "[]"))


def _literal(phrases: Iterable[str]) -> list[re.Pattern[str]]:
    """Config words as patterns: whole words, any case, with their plural or -ing/-ed forms."""
    return [
        re.compile(
            r"(?<![\w-])" + re.escape(phrase.strip().lower()) + r"(?:s|es|d|ed|ing)?(?![\w-])"
        )
        for phrase in phrases
        if phrase.strip()
    ]


def _lower(text: str) -> str:
    """``text`` in lower case, letter for letter (positions line up with ``text``)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _blank(text: str, spans: Iterable[Span]) -> str:
    """``text`` with ``spans`` replaced by spaces, so positions still line up."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _spans(searched: str, patterns: Sequence[re.Pattern[str]]) -> list[Span]:
    return sorted(
        match.span()
        for pattern in patterns
        for match in pattern.finditer(searched)
        if match.end() > match.start()
    )


def _dismissive(voice: str) -> list[Span]:
    """“No problem” and its cousins, but not “budget is no problem for them”."""
    return [
        match.span()
        for match in w.NO_PROBLEM.finditer(voice)
        if not w.NOT_DISMISSIVE_BEFORE.search(voice[max(0, match.start() - 40) : match.start()])
        and not w.NOT_DISMISSIVE_AFTER.match(voice[match.end() : match.end() + 40])
    ]


def _we_talk(voice: str, excluded: Sequence[Span], team_words: Sequence[str]) -> list[Span]:
    """“we”/“our” (and the team's own words) outside solution talk and reporting.

    A “we” in the same clause as solution talk is that solution talk's subject (“we'll
    plug our sensors in”), so it counts once, as solution talk; “our engineers” still counts.
    """
    skip = [*excluded, *(m.span() for m in w.REPORTING.finditer(voice))]
    found: list[Span] = []
    for start, end in _spans(voice, [w.WE, *_literal(team_words)]):
        clause_end = min(
            (i for c in ".;!?,:" if (i := voice.find(c, end)) >= 0), default=len(voice)
        )
        subject = voice.startswith("we", start)
        if not any(s <= start < e or (subject and end <= s < clause_end) for s, e in skip):
            found.append((start, end))
    return found


def _why_now(text: str) -> list[Span]:
    return [
        match.span()
        for match in w.WHY_NOW.finditer(text)
        if not w.PAST_BEFORE.search(text[max(0, match.start() - 20) : match.start()])
    ]


def _clause(text: str, span: Span) -> str | None:
    """The rep's clause around ``span``, up to a dozen words, for an example in their terms."""
    start = max(text.rfind(mark, 0, span[0]) for mark in ".;:!?\n,(") + 1
    ends = [i for mark in ".;:!?\n,)" if (i := text.find(mark, span[1])) >= 0]
    clause = " ".join(text[start : min(ends, default=len(text))].split())
    words = clause.split()
    if len(words) < 3 or len(words) > 12 or any(c in clause for c in '"“”‘'):
        return None
    return clause[0].upper() + clause[1:]


def _quotes(text: str, spans: Sequence[Span], *, follow: bool = False) -> tuple[str, ...]:
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
