"""What to send for each kind of due work: one planner per kind, registered here.

A planner reads a claimed :class:`~bot.db.models.DueWork` row inside a short
transaction and returns the :class:`Delivery` to send, or ``None`` when the row no
longer applies (the handoff was accepted meanwhile, say), which cancels it, or a
:class:`Skip` when its moment has passed (recorded as missed, never sent late).
"""

from __future__ import annotations

from bot.db.models import DueWorkKind
from bot.scheduler.planners import calls, handoffs, qualification, reports
from bot.scheduler.planners.base import Delivery, Planner, Skip

PLANNERS: dict[DueWorkKind, Planner] = {
    **handoffs.PLANNERS,
    **calls.PLANNERS,
    **qualification.PLANNERS,
    **reports.PLANNERS,
}

__all__ = ["PLANNERS", "Delivery", "Planner", "Skip"]
