"""Choosing pre-call tips: role, call type, the deal's state, and rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.coaching.tips import DealState, choose
from bot.config import CallType, DealSignal, TipRole, load_tips

REPO = Path(__file__).resolve().parents[2]
TIPS, PROBLEMS = load_tips(REPO / "config")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_shipped_tips_are_valid_and_the_sample_team_uses_the_same_ones() -> None:
    assert PROBLEMS == [] and len(TIPS) >= 20
    sample = REPO / "bot" / "shell" / "sample" / "tips.yaml"
    assert sample.read_text() == (REPO / "config" / "tips.yaml").read_text()


def test_the_shipped_tips_cover_the_ideas_from_the_seeds() -> None:
    ids = {tip.id for tip in TIPS}
    for idea in (
        "let-the-se-drive",
        "drop-no-problem",
        "restate-before-solving",
        "share-the-strategy",
        "agree-roles",
        "take-notes-when-the-se-probes",
        "widen-the-context",
        "plain-words",
    ):
        assert idea in ids


@pytest.mark.parametrize("role", ["rep", "se"])
@pytest.mark.parametrize("call_type", list(CallType))
def test_three_to_five_tips_fit_the_role_and_call(role: TipRole, call_type: CallType) -> None:
    for state in (
        DealState(),
        DealState(qualification_gaps=2, open_handoffs=1),
        DealState(confirmed_problem=True),
    ):
        chosen = choose(TIPS, role=role, call_type=call_type, state=state)
        assert 3 <= len(chosen) <= 5
        assert len({tip.id for tip in chosen}) == len(chosen)
        for tip in chosen:
            assert role in tip.roles
            assert not tip.call_types or call_type in tip.call_types
            assert set(tip.when) <= state.signals


def test_the_deal_state_brings_its_own_tips_first() -> None:
    state = DealState(qualification_gaps=3, open_handoffs=1)
    chosen = choose(TIPS, role="rep", call_type=CallType.DISCOVERY, state=state)
    assert len(chosen) == 5
    assert {DealSignal(s) for tip in chosen[:2] for s in tip.when} <= state.signals
    assert all(tip.when for tip in chosen[:2]) and not any(tip.when for tip in chosen[2:])
    calm = choose(
        TIPS, role="rep", call_type=CallType.DISCOVERY, state=DealState(confirmed_problem=True)
    )
    assert [tip.id for tip in calm if tip.when] == ["start-from-the-problem"]


@pytest.mark.parametrize("role", ["rep", "se"])
@pytest.mark.parametrize("call_type", list(CallType))
def test_rotation_never_repeats_a_tip_in_two_dms_in_a_row(
    role: TipRole, call_type: CallType
) -> None:
    last_sent: dict[str, datetime] = {}
    previous: set[str] = set()
    seen: set[str] = set()
    for day in range(12):
        state = DealState(qualification_gaps=day % 2, open_handoffs=day % 3 == 0)
        chosen = choose(
            TIPS,
            role=role,
            call_type=call_type,
            state=state,
            previous=previous,
            last_sent=last_sent,
        )
        ids = {tip.id for tip in chosen}
        assert len(chosen) >= 3 and not ids & previous
        previous = ids
        seen |= ids
        for tip_id in ids:
            last_sent[tip_id] = T0 + timedelta(days=day)
    pool = [t for t in TIPS if t.fits(role, call_type) and not t.when]
    assert {t.id for t in pool} <= seen  # every general tip comes round


def test_least_recently_sent_wins() -> None:
    first = choose(
        TIPS, role="se", call_type=CallType.DEMO, state=DealState(confirmed_problem=True)
    )
    general = [t for t in first if not t.when]
    sent = {tip.id: T0 for tip in general}
    again = choose(
        TIPS,
        role="se",
        call_type=CallType.DEMO,
        state=DealState(confirmed_problem=True),
        last_sent=sent,
    )
    assert not {t.id for t in again if not t.when} & set(sent)
