"""Qualification rules: scoring a deal's checklist and naming its gaps. No Slack, no database.

A checklist item counts as confirmed only when the answer is *yes*. *No* and *unknown*
both score nothing: a "no" (the economic buyer was never met) is a known risk and an
"unknown" a blind spot, and either one is something the rep still has to go and find
out. An item nobody has answered yet is a gap too. The score is simply the share of
items confirmed, so a rep can see at a glance what one more answer is worth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.config import Checklist, ChecklistItem

#: Longest evidence we keep: Slack's limit on a text input, and it fits any message.
EVIDENCE_MAX = 2000


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


#: What each answer adds to the score.
POINTS: Mapping[Answer, int] = {Answer.YES: 1, Answer.NO: 0, Answer.UNKNOWN: 0}

ANSWER_LABELS: Mapping[Answer, str] = {
    Answer.YES: "Yes",
    Answer.NO: "No",
    Answer.UNKNOWN: "Unknown",
}

NOT_ANSWERED = "not answered yet"


@dataclass(frozen=True)
class Recorded:
    """The latest answer someone gave for one item."""

    answer: Answer
    evidence: str | None
    #: The Slack user id of whoever gave it.
    by: str
    at: datetime


@dataclass(frozen=True)
class ItemStatus:
    """One checklist item and where the deal stands on it."""

    item: ChecklistItem
    latest: Recorded | None = None

    @property
    def answer(self) -> Answer | None:
        return None if self.latest is None else self.latest.answer

    @property
    def is_gap(self) -> bool:
        return self.answer is not Answer.YES

    @property
    def answer_words(self) -> str:
        return NOT_ANSWERED if self.answer is None else self.answer.value


@dataclass(frozen=True)
class Score:
    confirmed: int
    no: int
    unknown: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.confirmed + self.no + self.unknown + self.unanswered

    @property
    def points(self) -> int:
        return self.confirmed * POINTS[Answer.YES]

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.total) if self.total else 0


def statuses(checklist: Checklist, latest: Mapping[str, Recorded]) -> list[ItemStatus]:
    """Each item of ``checklist`` in order, with its latest answer (answers to items the
    checklist no longer has are left out)."""
    return [ItemStatus(item, latest.get(item.key)) for item in checklist.items]


def score(items: Sequence[ItemStatus]) -> Score:
    answers = [status.answer for status in items]
    return Score(
        confirmed=answers.count(Answer.YES),
        no=answers.count(Answer.NO),
        unknown=answers.count(Answer.UNKNOWN),
        unanswered=answers.count(None),
    )


def gaps(items: Sequence[ItemStatus]) -> list[ItemStatus]:
    """Items not confirmed yet, in checklist order."""
    return [status for status in items if status.is_gap]


def gap_line(status: ItemStatus) -> str:
    """One short line for a gap, e.g. "Economic buyer met: unknown"."""
    return f"{status.item.title}: {status.answer_words}"


def summary_line(items: Sequence[ItemStatus]) -> str:
    """E.g. "3 of 6 confirmed (50%); open: 2 unknown, 1 no"."""
    result = score(items)
    line = f"{result.confirmed} of {result.total} confirmed ({result.percent}%)"
    open_parts = [
        f"{count} {words}"
        for count, words in (
            (result.unknown, "unknown"),
            (result.no, "no"),
            (result.unanswered, NOT_ANSWERED),
        )
        if count
    ]
    return f"{line}; open: {', '.join(open_parts)}" if open_parts else f"{line}: fully qualified"


def start_index(items: Sequence[ItemStatus]) -> int:
    """Where a walk through the checklist resumes: the first item nobody answered, else the
    first gap, else the beginning."""
    for wanted in (lambda s: s.answer is None, lambda s: s.is_gap):
        for index, status in enumerate(items):
            if wanted(status):
                return index
    return 0


@dataclass(frozen=True)
class AnswerInput:
    """One item as someone filled it in: ``answer`` None means they left it blank."""

    item_key: str
    answer: Answer | None
    evidence: str | None


def read_answer(
    item_key: str, raw_answer: str | None, raw_evidence: str | None
) -> tuple[AnswerInput, dict[str, str]]:
    """Check one item's answer and evidence; errors are keyed "answer" and "evidence"."""
    errors: dict[str, str] = {}
    answer = None
    if raw_answer:
        try:
            answer = Answer(raw_answer)
        except ValueError:
            errors["answer"] = "Pick yes, no or unknown."
    evidence = (raw_evidence or "").strip() or None
    if evidence is not None and len(evidence) > EVIDENCE_MAX:
        errors["evidence"] = (
            f"That is {len(evidence):,} characters; keep the evidence under "
            f"{EVIDENCE_MAX:,} and link to longer notes."
        )
    elif evidence is not None and answer is None and "answer" not in errors:
        errors["answer"] = "Pick yes, no or unknown for the evidence you wrote."
    return AnswerInput(item_key, answer, evidence), errors


def is_change(given: AnswerInput, latest: Recorded | None) -> bool:
    """Whether an answer is worth a new row: blank is not, repeating the latest is not."""
    if given.answer is None:
        return False
    return latest is None or (latest.answer, latest.evidence) != (given.answer, given.evidence)


def nudge_period(day: date, interval_days: int) -> int:
    """Which ``interval_days``-long stretch of the calendar ``day`` falls in.

    Gap reminders are keyed by deal and period, so a deal gets at most one per stretch.
    """
    return day.toordinal() // interval_days
