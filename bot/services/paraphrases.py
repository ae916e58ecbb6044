"""The rep's paraphrase of the customer's problem: versions, the review, the SE's verdict.

Each submission is kept as a new version with its score and findings. The rep sends a
version to the SE on the deal, who confirms it or writes a correction; the newest
confirmed version is the deal's confirmed problem (shown on every later handoff card
and pre-call DM for the deal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from bot.coaching import paraphrase as reviewer
from bot.config import DealCoachConfig
from bot.db.models import Call, Deal, Paraphrase, Person, Workspace
from bot.domain.limits import PARAPHRASE_TEXT_MAX
from bot.services import calls, crm_events, deals
from bot.services.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound

#: Longest paraphrase we accept; the reviewer will already call anything near it too long.
TEXT_MAX = PARAPHRASE_TEXT_MAX


@dataclass(frozen=True)
class Submitted:
    version: Paraphrase
    review: reviewer.Review


@dataclass(frozen=True)
class DebriefDraft:
    deal_name: str
    text: str
    se_slack_id: str | None = None
    call_id: int | None = None
    #: A deal picked from the form's typeahead; without it the name is a new deal's.
    deal_id: int | None = None


def _picked(session: Session, workspace: Workspace, deal_id: int) -> Deal:
    deal = session.get(Deal, deal_id)
    if deal is None or deal.workspace_id != workspace.id:
        raise InvalidInput({"deal": "That deal is gone (merged or removed); pick it again."})
    return deal


def validate(draft: DebriefDraft) -> dict[str, str]:
    """Field name → what is wrong and how to write it."""
    errors: dict[str, str] = {}
    deal_name = draft.deal_name.strip()
    if not deal_name and draft.deal_id is None:
        errors["deal"] = "Pick the deal: start typing the customer's name, e.g. Acme Corp."
    elif len(deal_name) > deals.DEAL_NAME_MAX:
        errors["deal"] = f"Keep the deal name under {deals.DEAL_NAME_MAX} characters."
    text = draft.text.strip()
    if not text:
        errors["paraphrase"] = (
            "Write the customer's top problems as you'd say them back to them, e.g. "
            "“Finance loses three days every month-end, and the auditors arrive in March.”"
        )
    elif len(text) > TEXT_MAX:
        errors["paraphrase"] = (
            f"That is {len(text):,} characters; a paraphrase you can say aloud is far "
            "shorter. Keep the top two or three problems."
        )
    return errors


def submit(
    *,
    session: Session,
    workspace: Workspace,
    author: Person,
    se: Person | None,
    draft: DebriefDraft,
    config: DealCoachConfig,
    now: datetime,
) -> Submitted:
    """Review the text and keep it as the deal's next version."""
    errors = validate(draft)
    if se is not None and se.id == author.id:
        errors["se"] = "Pick the SE who was on the call; they confirm it, not you."
    if errors:
        raise InvalidInput(errors)
    deal = (
        _picked(session, workspace, draft.deal_id)
        if draft.deal_id is not None
        else deals.create(
            session=session, workspace=workspace, name=draft.deal_name, owner=author, now=now
        )
    )
    call = session.get(Call, draft.call_id) if draft.call_id is not None else None
    if call is not None and (call.deal_id != deal.id or call.workspace_id != workspace.id):
        call = None
    if call is None:
        call = calls.latest_for_deal(session=session, deal=deal, now=now)
    text = draft.text.strip()
    review = reviewer.review(text, reviewer.Rules.from_config(config.coaching), customer=deal.name)
    for _ in range(3):  # two submissions at once: the loser takes the next number
        latest = session.scalar(
            select(func.max(Paraphrase.version)).where(Paraphrase.deal_id == deal.id)
        )
        version = Paraphrase(
            workspace_id=workspace.id,
            deal_id=deal.id,
            call_id=call.id if call is not None else None,
            author_id=author.id,
            version=(latest or 0) + 1,
            text=text,
            score=review.score,
            findings=reviewer.findings_json(review.findings),
            se_id=se.id if se is not None else None,
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(version)
            break
        except IntegrityError:
            continue
    else:
        raise InvalidTransition("Several versions arrived at once; please submit yours again.")
    if call is not None and call.rep_id == author.id:
        calls.mark_debriefed(call)
    session.flush()
    return Submitted(version, review)


def find_deal(*, session: Session, workspace: Workspace, name: str) -> Deal | None:
    """The deal with this name (any case or spacing), without creating it."""
    return session.scalar(
        select(Deal).where(Deal.workspace_id == workspace.id, Deal.name_key == deals.name_key(name))
    )


def get(*, session: Session, workspace: Workspace, paraphrase_id: int) -> Paraphrase:
    version = session.get(
        Paraphrase,
        paraphrase_id,
        options=[joinedload(Paraphrase.deal), joinedload(Paraphrase.author)],
    )
    if version is None or version.workspace_id != workspace.id:
        raise NotFound(f"I can't find that paraphrase (#{paraphrase_id}); `/debrief` starts one.")
    return version


def send_to_se(*, session: Session, version: Paraphrase, actor: Person, now: datetime) -> Person:
    """Mark a version as sent to its SE for confirmation; returns the SE."""
    if actor.id != version.author_id:
        raise NotAllowed("Only the rep who wrote this paraphrase can send it; nothing was sent.")
    if version.se is None:
        raise InvalidInput(
            {"se": "No SE is named for this deal. Revise it and pick the SE who was on the call."}
        )
    newer = _newer_version(session, version)
    if newer is not None:
        raise InvalidTransition(
            f"You've written a newer version (v{newer}) since; send that one instead."
        )
    if version.confirmed_at is not None:
        raise InvalidTransition(f"Version {version.version} is already confirmed.")
    version.sent_at = now
    return version.se


def record_card(version: Paraphrase, *, channel_id: str, message_ts: str) -> None:
    """Remember where the SE's card is, so it can be redrawn once they answer."""
    version.channel_id = channel_id
    version.message_ts = message_ts


def correction_error(text: str) -> str | None:
    """What is wrong with an SE's correction of a paraphrase, or ``None``."""
    text = text.strip()
    if not text:
        return "Write the problem as you heard it."
    if len(text) > TEXT_MAX:
        return f"Keep it under {TEXT_MAX:,} characters."
    return None


def confirm(
    *,
    session: Session,
    version: Paraphrase,
    actor: Person,
    config: DealCoachConfig,
    now: datetime,
    correction: str | None = None,
) -> None:
    """The SE stands behind this version, as written or in their own corrected words."""
    check_confirm(session=session, version=version, actor=actor, config=config)
    if correction is not None:
        error = correction_error(correction)
        if error is not None:
            raise InvalidInput({"correction": error})
        correction = correction.strip()
    version.confirmed_by = actor
    version.confirmed_at = now
    version.correction = correction
    session.flush()
    crm_events.paraphrase_confirmed(session=session, version=version, now=now)


def check_confirm(
    *, session: Session, version: Paraphrase, actor: Person, config: DealCoachConfig
) -> None:
    """Raise unless ``actor`` may confirm or correct this version now."""
    managers = config.managers_for(version.author.slack_user_id)
    if actor.id != version.se_id and actor.slack_user_id not in managers:
        raise NotAllowed(
            "Only the SE it was sent to (or their SE manager) can confirm this paraphrase."
        )
    if version.confirmed_at is not None:
        raise InvalidTransition(
            f"Version {version.version} for {version.deal.name} is already confirmed."
        )
    newer = _newer_version(session, version)
    if newer is not None:
        raise InvalidTransition(
            f"The rep has written a newer version (v{newer}) since; it will reach you "
            "when they send it."
        )


def confirmed_text_query(deal_id: int | ColumnElement[int]) -> Select[str | None]:
    """The deal's confirmed problem: the newest confirmed version, as the SE stood behind
    it; a query, to read beside other things in one statement (``deal_context.for_deal``;
    its deal id may be a bound parameter)."""
    return (
        select(Paraphrase.confirmed_text)
        .where(Paraphrase.deal_id == deal_id, Paraphrase.confirmed_at.is_not(None))
        .order_by(Paraphrase.version.desc())
        .limit(1)
    )


def latest(*, session: Session, deal: Deal) -> Paraphrase | None:
    return session.scalars(
        select(Paraphrase)
        .where(Paraphrase.deal_id == deal.id)
        .order_by(Paraphrase.version.desc())
        .limit(1)
    ).first()


def _newer_version(session: Session, version: Paraphrase) -> int | None:
    newest = session.scalar(
        select(func.max(Paraphrase.version)).where(Paraphrase.deal_id == version.deal_id)
    )
    return newest if newest is not None and newest > version.version else None
