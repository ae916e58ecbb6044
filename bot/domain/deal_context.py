"""What else an SE should know about a deal when a handoff lands: shown on every card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

from bot.db.models import HandoffEvent


@dataclass(frozen=True)
class DealContext:
    #: Open qualification gaps, one short line each (e.g. "Economic buyer met: unknown").
    gaps: tuple[str, ...] = ()
    #: The customer's problem as the rep paraphrased it and the SE confirmed it.
    paraphrase: str | None = None
    #: What happened to this handoff so far (opened, nudged, escalated, snoozed…), oldest first.
    history: tuple[HandoffEvent, ...] = ()
    #: The zone the history's times are shown in (the card's reader, the SE).
    time_zone: tzinfo = UTC
    #: The handoff's product area as people see it ("SSO"), when it has one.
    product_area: str | None = None
