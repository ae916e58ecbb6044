"""Qualification rules as plain functions: scoring, gaps, where a walk resumes, answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.coaching import qualification as rules
from bot.coaching.qualification import Answer, AnswerInput, Recorded
from bot.config import Checklist, ChecklistItem

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def checklist(*keys: str) -> Checklist:
    return Checklist(
        key="test",
        name="Test",
        items=[
            ChecklistItem(
                key=key,
                title=key.replace("_", " ").capitalize(),
                why=f"Why {key} matters.",
                question=f"What about {key}?",
            )
            for key in keys
        ],
    )


def said(answer: Answer, evidence: str | None = None) -> Recorded:
    return Recorded(answer, evidence, "U0REP0001", AT)


FOUR = checklist("budget", "authority", "need", "timeline")


def test_only_yes_scores_and_everything_else_is_a_gap() -> None:
    items = rules.statuses(
        FOUR,
        {"budget": said(Answer.YES), "authority": said(Answer.NO), "need": said(Answer.UNKNOWN)},
    )
    score = rules.score(items)
    assert (score.confirmed, score.no, score.unknown, score.unanswered) == (1, 1, 1, 1)
    assert (score.points, score.total, score.percent) == (1, 4, 25)
    assert [status.item.key for status in rules.gaps(items)] == ["authority", "need", "timeline"]
    assert [rules.gap_line(s) for s in rules.gaps(items)] == [
        "Authority: no",
        "Need: unknown",
        "Timeline: not answered yet",
    ]


def test_summary_line_names_what_is_open() -> None:
    items = rules.statuses(FOUR, {"budget": said(Answer.YES), "need": said(Answer.UNKNOWN)})
    assert rules.summary_line(items) == (
        "1 of 4 confirmed (25%); open: 1 unknown, 2 not answered yet"
    )
    all_yes = rules.statuses(
        FOUR, {key: said(Answer.YES) for key in ("budget", "authority", "need", "timeline")}
    )
    assert rules.summary_line(all_yes) == "4 of 4 confirmed (100%): fully qualified"
    assert rules.gaps(all_yes) == []


def test_answers_to_items_the_checklist_dropped_are_ignored() -> None:
    items = rules.statuses(checklist("budget"), {"retired_item": said(Answer.YES)})
    assert rules.score(items).total == 1 and rules.score(items).confirmed == 0


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, 0),
        ({"budget": Answer.YES}, 1),
        ({"budget": Answer.YES, "authority": Answer.NO, "need": Answer.YES}, 3),
        (
            {
                "budget": Answer.YES,
                "authority": Answer.NO,
                "need": Answer.YES,
                "timeline": Answer.YES,
            },
            1,
        ),
        ({key: Answer.YES for key in ("budget", "authority", "need", "timeline")}, 0),
    ],
)
def test_a_walk_resumes_at_the_first_unanswered_then_the_first_gap(
    answers: dict[str, Answer], expected: int
) -> None:
    items = rules.statuses(FOUR, {key: said(answer) for key, answer in answers.items()})
    assert rules.start_index(items) == expected


def test_read_answer_accepts_and_trims() -> None:
    given, errors = rules.read_answer("budget", "yes", "  CFO said so  ")
    assert errors == {}
    assert given == AnswerInput("budget", Answer.YES, "CFO said so")
    assert rules.read_answer("budget", None, "   ") == (AnswerInput("budget", None, None), {})


def test_read_answer_refuses_long_evidence_and_evidence_without_an_answer() -> None:
    _, errors = rules.read_answer("budget", "yes", "x" * 2001)
    assert "2,001 characters" in errors["evidence"] and "2,000" in errors["evidence"]
    _, errors = rules.read_answer("budget", None, "The CFO hinted at it")
    assert "Pick yes, no or unknown" in errors["answer"]
    _, errors = rules.read_answer("budget", "maybe", None)
    assert errors == {"answer": "Pick yes, no or unknown."}
    _, errors = rules.read_answer("budget", "no", "x" * 2000)
    assert errors == {}


def test_only_a_real_change_is_worth_a_new_row() -> None:
    latest = said(Answer.UNKNOWN, "not asked yet")
    assert not rules.is_change(AnswerInput("need", None, None), latest)
    assert not rules.is_change(AnswerInput("need", Answer.UNKNOWN, "not asked yet"), latest)
    assert rules.is_change(AnswerInput("need", Answer.UNKNOWN, "asked; they'll check"), latest)
    assert rules.is_change(AnswerInput("need", Answer.YES, "not asked yet"), latest)
    assert rules.is_change(AnswerInput("need", Answer.NO, None), None)


def test_nudge_periods_are_interval_long_stretches() -> None:
    day = date(2026, 11, 23)
    period = rules.nudge_period(day, 7)
    stretch = [rules.nudge_period(date.fromordinal(day.toordinal() + n), 7) for n in range(-7, 8)]
    assert stretch.count(period) == 7
    assert rules.nudge_period(date.fromordinal(day.toordinal() + 7), 7) == period + 1
