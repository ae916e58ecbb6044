"""Choosing the pre-call tips for one person: their role on the call, its type, the deal's state.

Tips come from ``config/tips.yaml``. A DM carries up to two tips that fit the deal's
state (a ``when`` that holds, e.g. qualification gaps are open) and three that fit any
deal, so 3-5 in all. Rotation: a tip in the person's previous DM is never sent again in
the next one, and among the rest the least recently sent (never sent first) win, ties
broken by the order in the file, so the file's order is the editor's priority.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.config import GENERAL_TIPS_PER_CALL, CallType, DealSignal, Tip, TipRole

#: At most this many tips that fit the deal's state, ahead of the general ones.
SITUATIONAL_TIPS_PER_CALL = 2


@dataclass(frozen=True)
class DealState:
    """What is known about the deal before the call."""

    qualification_gaps: int = 0
    open_handoffs: int = 0
    confirmed_problem: bool = False

    @property
    def signals(self) -> frozenset[DealSignal]:
        found = {
            DealSignal.CONFIRMED_PROBLEM
            if self.confirmed_problem
            else DealSignal.NO_CONFIRMED_PROBLEM
        }
        if self.qualification_gaps:
            found.add(DealSignal.QUALIFICATION_GAPS)
        if self.open_handoffs:
            found.add(DealSignal.OPEN_HANDOFFS)
        return frozenset(found)


def choose(
    tips: Sequence[Tip],
    *,
    role: TipRole,
    call_type: CallType,
    state: DealState,
    previous: Collection[str] = (),
    last_sent: Mapping[str, datetime] | None = None,
) -> list[Tip]:
    """The tips for one DM, situational ones first.

    ``previous`` holds the tip ids of this person's previous DM (never repeated);
    ``last_sent`` when each tip last went to them.
    """
    last_sent = last_sent or {}
    order = {tip.id: index for index, tip in enumerate(tips)}
    signals = state.signals

    def freshness(tip: Tip) -> tuple[float, int]:
        sent = last_sent.get(tip.id)
        return (sent.timestamp() if sent else float("-inf"), order[tip.id])

    eligible = [tip for tip in tips if tip.fits(role, call_type) and tip.id not in previous]
    situational = sorted(
        (tip for tip in eligible if tip.when and set(tip.when) <= signals), key=freshness
    )
    general = sorted((tip for tip in eligible if not tip.when), key=freshness)
    return situational[:SITUATIONAL_TIPS_PER_CALL] + general[:GENERAL_TIPS_PER_CALL]
