"""What the paraphrase check says for each finding: short, specific, in the deal's own terms.

Each function gets the words that triggered the finding (or none, for something missing),
the deal's customer as ``who`` ("Acme Corp", or "them"), and ``clause``: the part of the
rep's own text that names the customer's problem, when there is one, so the example can
start from what the rep already wrote.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Plain words for common jargon, for the example in the advice.
PLAIN = {
    "leverage": "use",
    "synergy": "working together",
    "seamless": "smooth",
    "frictionless": "easy",
    "holistic": "whole",
    "robust": "reliable",
    "scalable": "ready for more users",
    "end-to-end": "from order to invoice",
    "best-of-breed": "good",
    "streamline": "speed up",
    "empower": "let",
    "unlock": "get",
}


def join(quotes: Sequence[str]) -> str:
    return ", ".join(f"“{quote}”" for quote in quotes)


def _their(who: str) -> str:
    return "their" if who == "them" else f"{who}'s"


def solution(quotes: Sequence[str], who: str, clause: str | None) -> str:
    start = (
        f"Keep the problem, e.g. “{clause}”, and stop there"
        if clause
        else (
            f"Say what goes wrong for {who} without it, e.g. “{_their(who)} team re-keys every "
            "order by hand”"
        )
    )
    return (
        f"Leave {join(quotes[:1])} out for now. {start}. The solution comes once they "
        "agree you've understood."
    )


def no_problem(quotes: Sequence[str], who: str) -> str:
    return (
        f"Drop {join(quotes[:1])}: to {who} it sounds like you weren't listening. Say how "
        f"much it hurts instead, e.g. “this costs {who} every week”."
    )


def we_talk(quotes: Sequence[str], who: str) -> str:
    return (
        f"Make {who} the subject instead of {join(quotes[:1])}, e.g. “{_their(who)} finance "
        "team loses…”. Our own next steps belong in the deal notes, not in what you say back."
    )


def no_impact(vague: Sequence[str], who: str, clause: str | None) -> str:
    verb = "say" if len(vague) > 1 else "says"
    said = f"{join(vague[:2])} {verb} it hurts, not what it costs. " if vague else ""
    example = (
        f"“{clause}, which costs {who} about N hours a week”"
        if clause
        else f"“{_their(who)} finance team loses three days every month-end”"
    )
    return (
        f"{said}Add the size of it in {_their(who)} terms: money, hours, risk or people, "
        f"e.g. {example}."
    )


def no_why_now(who: str, clause: str | None) -> str:
    example = (
        f"“{clause}, and they need it fixed before <the date or event>”"
        if clause
        else f"“before {_their(who)} audit in March” or “their contract renews in June”"
    )
    return (
        f"Add the date, event or deadline that makes it urgent for {who}, e.g. {example}. "
        "“Worse than last year” or “eventually” is not a why-now."
    )


def jargon(quotes: Sequence[str], who: str) -> str:
    swaps = [f"“{PLAIN[q.casefold()]}” for “{q}”" for q in quotes if q.casefold() in PLAIN]
    example = f", e.g. {', '.join(swaps[:2])}" if swaps else ""
    return f"Swap each one for the plain words {who} used on the call{example}."


def too_long(max_words: int, max_seconds: int) -> str:
    return (
        f"Keep the top two or three problems and cut the rest; about {max_words} words fit "
        f"in {max_seconds} seconds."
    )


def no_customer_problem(who: str) -> str:
    return (
        f"Start with what is wrong for {who}, in their words: what goes wrong, for whom, how "
        f"often, e.g. “{_their(who)} reps spend two days a week fixing orders by hand”. How "
        "the call went and the next steps belong in the deal notes."
    )
