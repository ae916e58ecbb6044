"""The shape every planner shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.common import Blocks
from bot.config import DealCoachConfig
from bot.db.models import DueWork

Followup = Callable[[WebClient], None]
"""A Slack call to make once the row is marked sent (e.g. redraw a card with its history)."""

OnSent = Callable[[Session, DueWork, datetime], Followup | None]
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
    #: Higher goes first in a digest (an escalation before a first nudge).
    urgency: int = 0
    #: Tied to a moment the person chose (tips before their call): sent when due, never
    #: held back for working hours, a digest or a snooze, and without snooze buttons.
    punctual: bool = False


@dataclass(frozen=True)
class Skip:
    """The row's moment passed before it could be sent (tips for a call that has already
    started): it is recorded as missed, not sent late."""

    reason: str


Planner = Callable[[DueWork, DealCoachConfig], Delivery | Skip | None]
