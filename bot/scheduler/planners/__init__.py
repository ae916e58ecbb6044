"""What to send for each kind of due work: one planner per kind, registered here.

A planner reads a claimed :class:`~bot.db.models.DueWork` row inside a short
transaction and returns the :class:`Delivery` to send, or ``None`` when the row no
longer applies (the handoff was accepted meanwhile, say), which cancels it.
"""

from __future__ import annotations

from bot.db.models import DueWorkKind
from bot.scheduler.planners import handoffs
from bot.scheduler.planners.base import Delivery, Planner

PLANNERS: dict[DueWorkKind, Planner] = {
    **handoffs.PLANNERS,
}

__all__ = ["PLANNERS", "Delivery", "Planner"]
