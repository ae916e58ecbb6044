"""The moments the bot writes back to the CRM, each queued in the transaction it records.

Called from the services that record each moment; a deal not from a CRM queues nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.coaching import qualification as rules
from bot.crm import notes
from bot.db.models import Deal, Handoff, Paraphrase, Person, ProductGap, QualificationAnswer
from bot.domain.standing import Standing
from bot.services import crm_writes


def _who(person: Person | None) -> str:
    if person is None:
        return "someone"
    return person.display_name or person.slack_user_id


def paraphrase_confirmed(*, session: Session, version: Paraphrase, now: datetime) -> None:
    note = notes.paraphrase(
        version=version.version,
        text=version.confirmed_text or version.text,
        author=_who(version.author),
        confirmed_by=_who(version.confirmed_by),
    )
    crm_writes.queue(
        session=session,
        deal=version.deal,
        kind="paraphrase",
        key=str(version.id),
        note=note,
        now=now,
    )


def qualification_recorded(
    *,
    session: Session,
    standing: Standing,
    written: Sequence[QualificationAnswer],
    actor: Person,
    now: datetime,
) -> None:
    if not written:
        return
    deal: Deal = standing.deal
    note = notes.qualification(
        framework=standing.checklist.name,
        percent=rules.score(standing.items).percent,
        gaps=[rules.gap_line(status) for status in standing.gaps],
        answered_by=_who(actor),
    )
    key = f"{deal.id}:{max(row.id for row in written)}"
    crm_writes.queue(session=session, deal=deal, kind="qualification", key=key, note=note, now=now)


def handoff_opened(*, session: Session, handoff: Handoff, now: datetime) -> None:
    note = notes.handoff_opened(
        rep=_who(handoff.rep), assignee=_who(handoff.assignee), problem=handoff.problem
    )
    crm_writes.queue(
        session=session,
        deal=handoff.deal,
        kind="handoff_opened",
        key=str(handoff.id),
        note=note,
        now=now,
    )


def handoff_resolved(
    *, session: Session, handoff: Handoff, note: str | None, now: datetime
) -> None:
    text = notes.handoff_resolved(assignee=_who(handoff.assignee), note=note)
    crm_writes.queue(
        session=session,
        deal=handoff.deal,
        kind="handoff_resolved",
        key=str(handoff.id),
        note=text,
        now=now,
    )


def gap_logged(*, session: Session, gap: ProductGap, now: datetime) -> None:
    note = notes.product_gap(
        area=gap.feature_area,
        description=gap.description,
        weight=gap.weight.value,
        logged_by=_who(gap.logged_by),
    )
    crm_writes.queue(
        session=session, deal=gap.deal, kind="gap", key=str(gap.id), note=note, now=now
    )
