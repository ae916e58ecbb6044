"""Handoffs no SE fits yet: held for an SE manager, then opened when one picks an SE.

Nothing is written to ``handoff`` or ``due_work`` until someone is assigned, so the
response-time clock starts at assignment and no handoff exists without an SE. The first
manager's pick wins: the row is claimed with one conditional UPDATE, so two managers
pressing at once cannot open it twice.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig, Team
from bot.db.models import Handoff, Person, UnroutedHandoff, Workspace
from bot.services import handoffs
from bot.services.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from bot.services.handoffs import HandoffDraft


def hold(
    *,
    session: Session,
    workspace: Workspace,
    rep: Person,
    draft: HandoffDraft,
    area: str | None,
    territory: str | None,
    config: DealCoachConfig,
    now: datetime,
) -> UnroutedHandoff:
    """Keep a valid draft until a manager picks an SE (checked now, as :func:`open` would)."""
    errors = handoffs.validate(
        draft,
        today=now.astimezone(handoffs.time_zone(rep, config)).date(),
        rep_slack_id=rep.slack_user_id,
    )
    if errors:
        raise InvalidInput(errors)
    held = UnroutedHandoff(
        workspace_id=workspace.id,
        rep=rep,
        deal_name=draft.deal_name.strip(),
        draft=_draft_json(draft),
        product_area=area,
        territory=territory,
        notices="[]",
        created_at=now,
    )
    session.add(held)
    session.flush()
    return held


def get(*, session: Session, workspace: Workspace, unrouted_id: int) -> UnroutedHandoff:
    held = session.get(UnroutedHandoff, unrouted_id)
    if held is None or held.workspace_id != workspace.id:
        raise NotFound(f"I can't find that handoff request (#{unrouted_id}) any more.")
    return held


def draft_of(held: UnroutedHandoff) -> HandoffDraft:
    data: dict[str, Any] = json.loads(held.draft)
    deadline = data.get("deadline")
    data["deadline"] = date.fromisoformat(deadline) if deadline else None
    return HandoffDraft(**data)


def record_notice(held: UnroutedHandoff, *, channel: str, ts: str) -> None:
    """Remember a "route this" DM, so it can say who took it once someone is assigned."""
    held.notices = json.dumps([*notices(held), [channel, ts]])


def notices(held: UnroutedHandoff) -> list[tuple[str, str]]:
    return [(str(channel), str(ts)) for channel, ts in json.loads(held.notices or "[]")]


def check_manager(held: UnroutedHandoff, actor_slack_id: str, team: Team) -> None:
    if actor_slack_id not in team.se_managers:
        raise NotAllowed(
            f"Only an SE manager of {team.name} can route this handoff; nothing was changed."
        )


def assign(
    *,
    session: Session,
    workspace: Workspace,
    held: UnroutedHandoff,
    actor: Person,
    assignee: Person,
    team: Team,
    reason: str | None,
    config: DealCoachConfig,
    now: datetime,
) -> Handoff:
    """Open the held handoff for ``assignee`` now (its SLA clock starts here), once only."""
    check_manager(held, actor.slack_user_id, team)
    claimed = session.execute(
        update(UnroutedHandoff)
        .where(UnroutedHandoff.id == held.id, UnroutedHandoff.routed_at.is_(None))
        .values(routed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(held)
        raise InvalidTransition("Someone already routed this handoff; nothing was changed.")
    session.refresh(held)
    handoff = handoffs.open(
        session=session,
        workspace=workspace,
        rep=held.rep,
        assignee=assignee,
        draft=draft_of(held),
        config=config,
        now=now,
        product_area=held.product_area,
        routing_reason=reason,
    )
    held.handoff_id = handoff.id
    session.flush()
    return handoff


def _draft_json(draft: HandoffDraft) -> str:
    data = asdict(draft)
    data["deadline"] = draft.deadline.isoformat() if draft.deadline else None
    data["assignee_slack_id"] = None
    return json.dumps(data)
