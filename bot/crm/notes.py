"""What each write-back says on the deal record: short titles and plain-text bodies.

Pure functions of what the bot learned; the sales manager reads these in the CRM, so they
say who, what and when in a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence

BODY_MAX = 60_000


def paraphrase(*, version: int, text: str, author: str, confirmed_by: str) -> tuple[str, str]:
    return (
        "Deal Coach: customer problem confirmed",
        f"The customer's problem, in the rep's words (version {version}, by {author}), "
        f"confirmed by {confirmed_by}:\n\n{text}"[:BODY_MAX],
    )


def qualification(
    *, framework: str, percent: int, gaps: Sequence[str], answered_by: str
) -> tuple[str, str]:
    lines = [f"{framework} qualification updated by {answered_by}: {percent}% qualified."]
    if gaps:
        lines.append("Still open:")
        lines.extend(f"- {gap}" for gap in gaps)
    else:
        lines.append("Nothing left open.")
    return f"Deal Coach: {framework} {percent}%", "\n".join(lines)[:BODY_MAX]


def handoff_opened(*, rep: str, assignee: str, problem: str) -> tuple[str, str]:
    return (
        "Deal Coach: technical handoff opened",
        f"{rep} asked {assignee} for help.\n\nProblem: {problem}"[:BODY_MAX],
    )


def handoff_resolved(*, assignee: str, note: str | None) -> tuple[str, str]:
    body = f"{assignee} resolved the technical handoff."
    if note:
        body += f"\n\nResolution: {note}"
    return "Deal Coach: technical handoff resolved", body[:BODY_MAX]


def product_gap(*, area: str, description: str, weight: str, logged_by: str) -> tuple[str, str]:
    return (
        f"Deal Coach: product gap ({area})",
        f"{logged_by} logged a product gap in {area} ({weight.replace('_', ' ')}):\n\n"
        f"{description}"[:BODY_MAX],
    )
