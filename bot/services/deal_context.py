"""What else an SE should know about a deal when a handoff lands: shown on every card.

Each feature that knows something about a deal (qualification gaps, the confirmed
paraphrase of the customer's problem) adds its part in :func:`for_deal`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.models import Deal
from bot.services import paraphrases, qualification


@dataclass(frozen=True)
class DealContext:
    #: Open qualification gaps, one short line each (e.g. "Economic buyer met: unknown").
    gaps: tuple[str, ...] = ()
    #: The customer's problem as the rep paraphrased it and the SE confirmed it.
    paraphrase: str | None = None
    #: What happened to this handoff so far (opened, nudged, escalated, snoozed…), oldest first.
    history: tuple[str, ...] = ()


def for_deal(*, session: Session, deal: Deal, config: DealCoachConfig) -> DealContext:
    """Everything known about ``deal`` that belongs on a handoff card."""
    return DealContext(
        gaps=qualification.gap_lines(session=session, deal=deal, config=config),
        paraphrase=paraphrases.confirmed_text(session=session, deal=deal),
    )
