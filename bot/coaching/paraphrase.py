"""Checking a rep's paraphrase of the customer's problem, with plain rules that show their work.

After a call the rep writes the customer's top problems in their own words, as they
would say them back to the customer. A good paraphrase is about the customer (not
about us), names what the problem costs them and why it matters now, and stays short
enough to say aloud. Each rule below quotes the words that triggered it, so the rep
can see exactly what to change; nothing here calls a network or guesses.

Words inside double quotes are the customer's own and are not held against the rep
("we lose a day every close" is the customer talking).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.config import Coaching


class FindingKind(StrEnum):
    SOLUTION_TALK = "solution_talk"
    NO_PROBLEM = "no_problem"
    WE_TALK = "we_talk"
    NO_IMPACT = "no_impact"
    NO_WHY_NOW = "no_why_now"
    JARGON = "jargon"
    TOO_LONG = "too_long"
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


@dataclass(frozen=True)
class Review:
    #: 0-100: 100 minus the penalties of the findings.
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
        if self.score >= 80:
            return "Ready to say back to the customer."
        if self.score >= 60:
            return "Close: one or two changes and it's ready."
        return "Worth another pass before you say it back."


@dataclass(frozen=True)
class Rules:
    """The team's words: product names count as solution talk, jargon as jargon."""

    product_names: tuple[str, ...] = ()
    jargon: tuple[str, ...] = ()
    max_seconds_aloud: int = 30
    words_per_minute: int = 150
    #: Fewer words than this cannot carry a problem, its cost and its timing.
    min_words: int = 10

    @classmethod
    def from_config(cls, coaching: Coaching) -> Rules:
        return cls(
            product_names=tuple(coaching.product_names),
            jargon=tuple(coaching.jargon),
            max_seconds_aloud=coaching.max_seconds_aloud,
            words_per_minute=coaching.words_per_minute,
        )

    @property
    def max_words(self) -> int:
        return self.max_seconds_aloud * self.words_per_minute // 60


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def _each(*alternatives: str) -> list[re.Pattern[str]]:
    """One pattern per phrase, so phrases that share a word ("with our platform") all match."""
    return [_words(alternative) for alternative in alternatives]


_APOSTROPHE = "['’]"
_PROVIDE = (
    r"(?:offer|provide|support|solve|fix|build|deliver|sell|recommend|set\s+up|give|add"
    r"|integrate|automate|replace|migrate|configure|handle|sort\s+out|roll\s+out|install)"
)
_SOLUTION = _each(
    r"our\s+(?:platform|product|solution|software|tool|app|system|suite|api|features?"
    r"|modules?|integrations?|offering|technology|services?|connectors?|team)s?",
    r"we\s+(?:can|could)",
    rf"(?:we|i)(?:\s+will|\s+would|{_APOSTROPHE}ll|{_APOSTROPHE}d)(?:\s+\w+)?\s+{_PROVIDE}",
    rf"(?:we|i)\s+{_PROVIDE}",
    r"(?:with|using|via|through|by\s+buying)\s+our",
    rf"i(?:\s+can|\s+will|{_APOSTROPHE}ll)\s+(?:fix|solve|show|get|set)",
    r"the\s+solution\s+is",
    r"(?:upgrade|migrate|switch)\s+to\s+(?:our|the\s+new)",
)
_NO_PROBLEM = _words(
    r"no\s+problem(?!\s+(?:with|paying|for\s+them))",
    r"not\s+a\s+problem(?!\s+(?:with|paying|for\s+them))",
    r"not\s+an\s+issue",
    r"no\s+worries",
    r"(?:an?\s+)?(?:easy|quick|simple)\s+fix",
)
_WE = re.compile(rf"\b(?:we(?:{_APOSTROPHE}(?:re|ve|ll|d))?|our|ours|us)\b", re.IGNORECASE)
_CUSTOMER = _words(
    rf"they(?:{_APOSTROPHE}(?:re|ve|ll|d))?",
    "their",
    "theirs",
    "them",
    "she",
    "her",
    "he",
    "his",
    rf"(?:the\s+)?(?:customer|client|buyer|prospect)(?:{_APOSTROPHE}s|s)?",
)
_IMPACT: dict[str, re.Pattern[str]] = {
    "money": re.compile(
        r"[$€£¥]\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?"
        r"|\b\d[\d,.]*\s?(?:k|m|bn|million|billion|thousand|dollars|euros|pounds)\b"
        r"|\b(?:revenue|costs?|costing|budget|spend(?:ing)?|money|margins?|profits?|fines?"
        r"|penalt(?:y|ies)|savings?|invoices?|cash|roi|write-?offs?|refunds?)\b",
        re.IGNORECASE,
    ),
    "time": _words(
        r"\d+\s*(?:hours?|hrs?|days?|weeks?|months?|minutes?)",
        r"hours",
        r"days",
        r"weeks",
        r"delays?",
        r"delayed",
        r"late",
        r"downtime",
        r"outages?",
        r"backlog",
        r"overtime",
        r"waiting",
        r"manual(?:ly)?",
        r"time-consuming",
        r"turnaround",
        r"by\s+hand",
    ),
    "risk": _words(
        r"risk(?:s|y)?",
        r"complian(?:ce|t)",
        r"audits?",
        r"auditors?",
        r"regulat(?:or|ors|ion|ions|ory)",
        r"security",
        r"breach(?:es)?",
        r"churn",
        r"los(?:e|es|ing)",
        r"lost",
        r"exposure",
        r"liabilit(?:y|ies)",
        r"legal",
        r"gdpr",
        r"hipaa",
        r"sox",
        r"reputation",
    ),
    "people": _words(
        r"staff",
        r"employees?",
        r"people",
        r"headcount",
        r"hir(?:e|es|ing)",
        r"engineers?",
        r"agents?",
        r"analysts?",
        r"nurses?",
        r"clinicians?",
        r"their\s+customers",
        r"patients?",
        r"turnover",
        r"burn-?out",
        r"morale",
        r"quit(?:ting)?",
        r"resign(?:ed|ing)?",
        r"\d+\s+(?:people|staff|users|employees|engineers|agents|analysts)",
        r"their\s+(?:\w+\s+)?teams?",
    ),
}
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WHY_NOW = _words(
    r"deadlines?",
    r"due(?!\s+to\b)",
    r"by\s+(?:the\s+)?(?:end|start|next|this|q[1-4]|" + _MONTH + r"|\d)",
    r"before\s+(?:the|their|its|his|her|next|this|q[1-4]|" + _MONTH + r"|\d)",
    r"until",
    r"expir(?:es|y|ing|ation)",
    r"renewals?",
    r"renews",
    r"go-?live",
    r"launch(?:es|ing)?",
    r"cut-?over",
    r"end\s+of\s+(?:the\s+)?(?:quarter|year|month|fiscal\s+year|contract)",
    r"(?:this|next)\s+(?:week|month|quarter|year|season)",
    r"q[1-4]",
    r"fy\s?\d{2,4}",
    r"urgent(?:ly)?",
    r"asap",
    r"board\s+meeting",
    r"(?:in|within)\s+(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
    r"|a\s+few|a\s+couple\s+of)\s+(?:days?|weeks?|months?)",
    r"(?:quarter|month|year)-?end",
    r"today|tomorrow|tonight|(?:this|tomorrow)\s+(?:morning|afternoon|evening)",
    r"(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day",
    r"contract\s+ends",
    r"peak\s+season",
    _MONTH.replace("|may|", "|"),
    r"(?:in|by|before|until|end\s+of)\s+may",
    r"may\s+\d{1,2}",
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?",
    r"\d{4}-\d{2}-\d{2}",
)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_WORD = re.compile(r"[\w$€£'’-]+")
_GENERIC_NAME_WORDS = frozenset(
    {"corp", "corporation", "inc", "ltd", "llc", "gmbh", "group", "the", "co", "company"}
)


@dataclass
class _Collector:
    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)


def review(text: str, rules: Rules, *, customer: str | None = None) -> Review:
    """Score ``text`` (0-100) and say why; ``customer`` is the deal's name, if known.

    For example, ``review("No problem, we can fix that with our platform.", Rules())``
    finds solution talk (“we can”, “with our”, “our platform”), “No problem”, we-talk,
    and no business impact or why-now, and scores it low.
    """
    out = _Collector()
    voice = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)  # the rep's own words
    words = _WORD.findall(text)
    seconds = round(len(words) * 60 / rules.words_per_minute)

    solution = _quotes(text, voice, [*_SOLUTION, *_literal(rules.product_names)])
    if solution:
        out.add(
            Finding(
                FindingKind.SOLUTION_TALK,
                "It talks about our solution, not their problem.",
                "Leave the product out: say what is wrong for them, in their words. The "
                "solution can come once they agree you've understood.",
                solution,
                min(20 + 5 * (len(solution) - 1), 30),
            )
        )
    dismissive = _quotes(text, voice, [_NO_PROBLEM])
    if dismissive:
        out.add(
            Finding(
                FindingKind.NO_PROBLEM,
                "It brushes the problem off.",
                "Drop “no problem” and its cousins: to the customer it sounds like you "
                "weren't listening. Show you grasp how much it hurts.",
                dismissive,
                20,
            )
        )
    we_quotes = _we_talk(text, voice, customer)
    if we_quotes:
        out.add(
            Finding(
                FindingKind.WE_TALK,
                "It's about us more than about them.",
                "Make the customer the subject of each sentence: “They lose…”, “Their "
                "team can't…”.",
                we_quotes,
                10,
            )
        )
    impact = {
        kind: found
        for kind, pattern in _IMPACT.items()
        if (found := _quotes(text, text, [pattern]))
    }
    strengths: list[str] = []
    if impact:
        shown = "; ".join(f"{kind} ({_join(found[:2])})" for kind, found in impact.items())
        strengths.append(f"Names what it costs them: {shown}.")
    else:
        out.add(
            Finding(
                FindingKind.NO_IMPACT,
                "Nothing says what the problem costs them.",
                "Add the business impact in their terms: money, time, risk or people, "
                "e.g. “finance loses three days every month-end”.",
                (),
                20,
            )
        )
    why_now = _quotes(text, text, [_WHY_NOW])
    if why_now:
        strengths.append(f"Says why it matters now: {_join(why_now[:2])}.")
    else:
        out.add(
            Finding(
                FindingKind.NO_WHY_NOW,
                "Nothing says why it matters now.",
                "Add the deadline or the event that makes it urgent, e.g. “before the "
                "March audit” or “the contract renews in June”.",
                (),
                15,
            )
        )
    jargon = _quotes(text, voice, _literal(rules.jargon))
    if jargon:
        out.add(
            Finding(
                FindingKind.JARGON,
                "It uses jargon the customer wouldn't say.",
                "Swap each one for the plain words the customer used on the call.",
                jargon,
                min(5 * len(jargon), 15),
            )
        )
    if len(words) > rules.max_words:
        tail = " ".join(words[rules.max_words : rules.max_words + 6])
        out.add(
            Finding(
                FindingKind.TOO_LONG,
                f"{len(words)} words take about {seconds} seconds to say; aim for "
                f"{rules.max_seconds_aloud}.",
                f"Keep the top two or three problems and cut the rest; about "
                f"{rules.max_words} words fit in {rules.max_seconds_aloud} seconds.",
                (f"…{tail}…",),
                10 if len(words) <= 2 * rules.max_words else 15,
            )
        )
    elif len(words) < rules.min_words:
        out.add(
            Finding(
                FindingKind.TOO_SHORT,
                f"{len(words)} words are too few to show you understood.",
                "Say whose problem it is, what it costs them and why it matters now, in "
                "two or three sentences.",
                (),
                20,
            )
        )
    score = max(0, 100 - sum(finding.penalty for finding in out.findings))
    return Review(score, tuple(out.findings), tuple(strengths), len(words), seconds)


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding.to_json() for finding in findings])


def findings_from_json(text: str) -> tuple[Finding, ...]:
    return tuple(Finding.from_json(item) for item in json.loads(text or "[]"))


def _literal(phrases: Iterable[str]) -> list[re.Pattern[str]]:
    """Config words as patterns that match whole words only, any case."""
    return [
        re.compile(r"(?<![\w-])" + re.escape(phrase.strip()) + r"(?![\w-])", re.IGNORECASE)
        for phrase in phrases
        if phrase.strip()
    ]


def _quotes(text: str, searched: str, patterns: Sequence[re.Pattern[str]]) -> tuple[str, ...]:
    """Distinct matches as written in ``text``, in reading order, at most four.

    ``searched`` is ``text`` with some spans blanked out, so positions line up. Matches
    that overlap or touch ("with our" + "our platform") become one quote.
    """
    spans = sorted(
        [match.start(), match.end()]
        for pattern in patterns
        for match in pattern.finditer(searched)
        if match.end() > match.start()
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found: list[str] = []
    for start, end in merged:
        words = re.sub(r"\s+", " ", text[start:end]).strip()
        if words.casefold() not in {quote.casefold() for quote in found}:
            found.append(words)
    return tuple(found[:4])


def _we_talk(text: str, voice: str, customer: str | None) -> tuple[str, ...]:
    """Quotes of "we"/"our" with the word after, when they outnumber mentions of the customer
    (or the customer is not mentioned at all)."""
    we = [
        match
        for match in _WE.finditer(voice)
        if match.group(0) != "US"  # the country
    ]
    if not we:
        return ()
    customer_mentions = len(_CUSTOMER.findall(voice))
    for name in _name_words(customer):
        customer_mentions += len(re.findall(rf"\b{re.escape(name)}\b", voice, re.IGNORECASE))
    if customer_mentions and len(we) <= customer_mentions:
        return ()
    quotes: list[str] = []
    for match in we:
        following = re.match(r"\s+[\w'’-]+", text[match.end() :])
        quote = text[match.start() : match.end()] + (following.group(0) if following else "")
        quote = re.sub(r"\s+", " ", quote)
        if quote.casefold() not in {q.casefold() for q in quotes}:
            quotes.append(quote)
    return tuple(quotes[:3])


def _name_words(customer: str | None) -> list[str]:
    if not customer:
        return []
    return [
        word
        for word in re.findall(r"[\w'’-]+", customer)
        if len(word) >= 3 and word.casefold() not in _GENERIC_NAME_WORDS
    ]


def _join(quotes: Sequence[str]) -> str:
    return ", ".join(f"“{quote}”" for quote in quotes)
