"""What else an SE should know about a deal when a handoff lands: shown on every card.

Each feature that knows something about a deal (qualification gaps, the confirmed
paraphrase of the customer's problem) adds its part in :func:`for_deal`.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.models import Deal, QualificationAnswer
from bot.domain.deal_context import DealContext
from bot.services import paraphrases, qualification

#: Whether the deal's checklist was ever answered, and its confirmed problem: built once.
_OVERVIEW = select(
    exists().where(QualificationAnswer.deal_id == bindparam("deal")),
    paraphrases.confirmed_text_query(bindparam("deal")).scalar_subquery(),
)


def for_deal(*, session: Session, deal: Deal, config: DealCoachConfig) -> DealContext:
    """Everything known about ``deal`` that belongs on a handoff card (no history yet).

    Every new handoff draws a card, so one statement says whether anyone ever answered the
    deal's checklist and reads its confirmed problem; only a deal with answers goes on to
    read its gaps."""
    qualified, paraphrase = session.execute(_OVERVIEW, {"deal": deal.id}).one()
    gaps = qualification.gap_lines(session=session, deal=deal, config=config) if qualified else ()
    return DealContext(gaps=gaps, paraphrase=paraphrase)
