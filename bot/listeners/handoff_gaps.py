"""The product gap an SE may note while resolving or declining a handoff.

Read and checked before the form is acknowledged (field errors go back into the form);
written in the same transaction as the resolve or decline, so either both stay or neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks import report as report_blocks
from bot.blocks.common import Blocks
from bot.config import DealCoachConfig
from bot.db.models import Handoff, Person, Workspace
from bot.services import gaps
from bot.services.gaps import GapDraft
from bot.slack import gap_forms
from bot.slack.ids import Field
from bot.slack.messenger import dm

#: The service's field names → the form's blocks.
_BLOCKS = {
    "description": Field.GAP_DESCRIPTION.value,
    "weight": Field.GAP_WEIGHT.value,
    "feature_area": Field.GAP_AREA_OTHER.value,
}


def read(view: dict[str, Any], config: DealCoachConfig) -> tuple[GapDraft | None, dict[str, str]]:
    """The form's gap (``None`` when left empty) and {block_id: error}."""
    draft, errors = gap_forms.read_gap_fields(view)
    if draft is None or errors:
        return None, errors
    problems = gaps.validate(draft, deal=None, config=config)
    problems.pop("deal", None)
    return draft, {
        _BLOCKS.get(name, Field.GAP_DESCRIPTION.value): m for name, m in problems.items()
    }


@dataclass
class Logged:
    """The link offer to send once the transaction is committed."""

    offers: list[tuple[str, Blocks]] = field(default_factory=list)


def log_on(
    session: Session,
    handoff: Handoff,
    person: Person,
    draft: GapDraft | None,
    *,
    config: DealCoachConfig,
    now: datetime,
    logged: Logged,
) -> None:
    """Log the gap on the handoff's deal (nothing when ``draft`` is ``None``)."""
    if draft is None:
        return
    gap = gaps.log(
        session=session,
        workspace=session.get_one(Workspace, handoff.workspace_id),
        deal=handoff.deal,
        draft=draft,
        actor=person,
        config=config,
        now=now,
        handoff=handoff,
    )
    offers = gaps.link_offers(session=session, gap=gap, config=config)
    logged.offers.append(
        report_blocks.link_offer(
            gap.id,
            handoff.deal.name,
            [(offer.group.id, offer.group.title, offer.other_deals) for offer in offers],
        )
    )


def send_offers(client: Any, user_id: str, logged: Logged) -> None:
    for text, blocks in logged.offers:
        dm(client, user_id, text, blocks)
