"""The shape every planner shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.common import Blocks
from bot.config import DealCoachConfig
from bot.db.models import DueWork

OnSent = Callable[[Session, DueWork, datetime], None]
"""Run in the transaction that marks the row sent (e.g. to write an audit event)."""


@dataclass(frozen=True)
class Delivery:
    """One message to one person, decided in a short transaction and sent outside it."""

    team_id: str
    channel: str
    text: str
    blocks: Blocks
    thread_ts: str | None = None
    broadcast: bool = False
    on_sent: OnSent | None = None


Planner = Callable[[DueWork, DealCoachConfig], Delivery | None]
