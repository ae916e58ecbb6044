"""What else an SE should know about a deal when a handoff lands: shown on every card.

Each feature that knows something about a deal (qualification gaps, the confirmed
paraphrase of the customer's problem) adds its part in :func:`for_deal`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.models import Deal
from bot.domain.deal_context import DealContext
from bot.services import paraphrases, qualification


def for_deal(*, session: Session, deal: Deal, config: DealCoachConfig) -> DealContext:
    """Everything known about ``deal`` that belongs on a handoff card (no history yet)."""
    return DealContext(
        gaps=qualification.gap_lines(session=session, deal=deal, config=config),
        paraphrase=paraphrases.confirmed_text(session=session, deal=deal),
    )
