"""Checking a rep's paraphrase of the customer's problem, with plain rules that show their work.

After a call the rep writes the customer's top problems in their own words, as they
would say them back to the customer. A good paraphrase names a problem of the customer's
(not our offer, not how the call went), says what it costs them and why it matters now,
and stays short enough to say aloud. Each finding quotes the words that triggered it or
says what is missing, so the rep can see exactly what to change; nothing here calls a
network or guesses. The words and shapes live in ``paraphrase_words``, the span helpers in
``paraphrase_spans``, the advice in ``paraphrase_advice``; ``bench/paraphrase_quality.py``
measures them against the labelled set in ``tests/data/paraphrases.yaml``.

Words in quotes, double (“…”, "…") or single (‘…’, '…'), are the customer's own and are
not held against the rep: “we lose a day every close” is the customer talking.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.coaching import paraphrase_advice as advice
from bot.config import DEFAULT_JARGON, Coaching

if TYPE_CHECKING:
    from bot.coaching.paraphrase_spans import Span

# The word lists compile some 200 regular expressions (a tenth of a start-up's CPU), so
# the functions that read a text import them on the first review instead of at start-up.


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


@dataclass(frozen=True)
class _Reading:
    """One paraphrase, read once: where each kind of words is, for the findings to use."""

    text: str
    who: str
    #: The rep's own words (the customer's quoted words blanked out), lowercased.
    voice: str
    solution: list[Span]
    dismissive: list[Span]
    #: Where the customer's problem is named (empty: nowhere), and its size by kind.
    problem: list[Span]
    sizes: dict[str, list[Span]]
    vague: list[Span]
    why_now: list[Span]
    #: The rep's clause that names the problem, for an example in their own terms.
    clause: str | None


def review(text: str, rules: Rules, *, customer: str | None = None) -> Review:
    """Score ``text`` (0-100) and say why; ``customer`` is the deal's name, if known.

    For example, ``review("No problem, we can fix that with our platform.", Rules())``
    finds solution talk (“we can fix”, “our platform”), “No problem”, and no customer
    problem at all, and scores it low.
    """
    from bot.coaching import paraphrase_spans as sp
    from bot.coaching import paraphrase_words as w

    reading = _read(text, rules, customer)
    words = _WORD.findall(text)
    seconds = round(len(words) * 60 / rules.words_per_minute)
    findings = _voice(reading, rules)
    found, strengths = _substance(reading)
    findings += found
    jargon = sp.quotes(text, sp.spans(reading.voice, [*sp.literal(rules.jargon), *w.JARGON_SHAPES]))
    if jargon:
        findings.append(
            Finding(
                FindingKind.JARGON,
                "It uses jargon the customer wouldn't say.",
                advice.jargon(jargon, reading.who),
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
    if not reading.problem:
        score = min(score, NO_PROBLEM_CAP)
    return Review(score, tuple(findings), tuple(strengths), len(words), seconds)


def _read(text: str, rules: Rules, customer: str | None) -> _Reading:
    from bot.coaching import paraphrase_spans as sp
    from bot.coaching import paraphrase_words as w

    low = sp.lower(text)
    voice = sp.blank(low, [m.span() for m in w.QUOTED.finditer(text)])
    solution = sp.spans(voice, [*w.SOLUTION, *sp.literal(rules.product_names)])
    dismissive = sp.dismissive(voice)
    rest = sp.blank(low, solution + dismissive)  # what is left to name the customer's problem
    sizes = {kind: sp.spans(rest, patterns) for kind, patterns in w.IMPACT.items()}
    problem = sp.spans(rest, [w.PROBLEM]) or [
        span for kind, spans in sizes.items() if kind not in {"time", "count"} for span in spans
    ]
    return _Reading(
        text=text,
        who=customer.strip() if customer and customer.strip() else "them",
        voice=voice,
        solution=solution,
        dismissive=dismissive,
        problem=problem,
        sizes=sizes,
        vague=sp.spans(rest, [w.VAGUE_PAIN]),
        why_now=sp.why_now(low),
        clause=sp.clause(text, problem[0]) if problem else None,
    )


def _voice(r: _Reading, rules: Rules) -> list[Finding]:
    """How the rep talks: our offer as the fix, the problem brushed off, talk about us."""
    from bot.coaching import paraphrase_spans as sp

    findings: list[Finding] = []
    if r.solution:
        quotes = sp.quotes(r.text, r.solution)
        findings.append(
            Finding(
                FindingKind.SOLUTION_TALK,
                "It names our offer as the fix, not their problem.",
                advice.solution(quotes, r.who, r.clause),
                quotes,
                min(20 + 5 * (len(quotes) - 1), 30),
            )
        )
    if r.dismissive:
        quotes = sp.quotes(r.text, r.dismissive)
        findings.append(
            Finding(
                FindingKind.NO_PROBLEM,
                "It brushes the problem off.",
                advice.no_problem(quotes, r.who),
                quotes,
                20,
            )
        )
    we = sp.we_talk(r.voice, r.solution + r.dismissive, rules.team_words)
    if we:
        quotes = sp.quotes(r.text, we, follow=True)
        findings.append(
            Finding(
                FindingKind.WE_TALK,
                "It's about us, not about them.",
                advice.we_talk(quotes, r.who),
                quotes[:3],
                10,
            )
        )
    return findings


def _substance(r: _Reading) -> tuple[list[Finding], list[str]]:
    """What it says: the customer's problem, what it costs them, why now."""
    from bot.coaching import paraphrase_spans as sp

    findings: list[Finding] = []
    strengths: list[str] = []
    if not r.problem:
        findings.append(
            Finding(
                FindingKind.NO_CUSTOMER_PROBLEM,
                "It doesn't say what is wrong for the customer.",
                advice.no_customer_problem(r.who),
                (),
                40,
            )
        )
    impact = {
        kind: quotes
        for kind, spans in r.sizes.items()
        if r.problem and (quotes := sp.quotes(r.text, spans))
    }
    if impact:
        shown = "; ".join(f"{kind} ({advice.join(q[:2])})" for kind, q in impact.items())
        strengths.append(f"Names what it costs them: {shown}.")
    else:
        vague = sp.quotes(r.text, r.vague)
        findings.append(
            Finding(
                FindingKind.NO_IMPACT,
                "Nothing says what the problem costs them.",
                advice.no_impact(vague, r.who, r.clause),
                vague[:2],
                20,
            )
        )
    why_now = sp.quotes(r.text, r.why_now)
    if why_now:
        strengths.append(f"Says why it matters now: {advice.join(why_now[:2])}.")
    else:
        findings.append(
            Finding(
                FindingKind.NO_WHY_NOW,
                "Nothing says why it matters now.",
                advice.no_why_now(r.who, r.clause),
                (),
                15,
            )
        )
    return findings, strengths


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding.to_json() for finding in findings])


def findings_from_json(text: str) -> tuple[Finding, ...]:
    return tuple(Finding.from_json(item) for item in json.loads(text or "[]"))
