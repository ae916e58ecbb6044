"""Qualification: a deal's checklist answers, its framework, and the reminder before it closes.

Answers are rows that are never changed: a new answer is a new row, so the history
stays and a deal's standing on an item is its latest row. Whenever the answers, the
close date or the owner change, the deal's gap reminder in ``due_work`` is moved to
fit (the planner checks the gaps again when it falls due).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.coaching import qualification as rules
from bot.coaching import working_hours
from bot.coaching.qualification import AnswerInput, Recorded
from bot.config import CHECKLIST_KEY, Checklist, DealCoachConfig
from bot.db.models import (
    Deal,
    DealFramework,
    DueWork,
    DueWorkKind,
    DueWorkState,
    Person,
    QualificationAnswer,
    Workspace,
)
from bot.domain.standing import Standing
from bot.services import crm_deals, crm_events, deals, handoffs, nudges
from bot.services.errors import InvalidInput, NotFound

#: How many close names "did you mean …" offers.
SUGGESTIONS = 3
#: The largest amount we store: PostgreSQL's BIGINT.
AMOUNT_MAX = 2**63 - 1
KIND = DueWorkKind.QUALIFICATION_GAPS


@dataclass(frozen=True)
class DealLookup:
    """The deal a name meant, or the deals it might have meant."""

    deal: Deal | None
    suggestions: tuple[Deal, ...] = ()


@dataclass(frozen=True)
class DealDraft:
    """A deal's details as someone filled them in."""

    name: str
    owner_slack_id: str | None
    amount: int | None
    close_date: date | None


# --- deals ---------------------------------------------------------------------------------


def find_deal(*, session: Session, workspace: Workspace, name: str) -> DealLookup:
    """The deal ``name`` means (see :func:`bot.services.deals.resolve`), else the close names;
    a name that cannot be a deal's is refused with how to write it."""
    resolution = deals.resolve(session=session, workspace=workspace, name=name)
    if isinstance(resolution, deals.Found):
        return DealLookup(resolution.deal)
    if isinstance(resolution, deals.Refused):
        raise InvalidInput({"name": resolution.message})
    if isinstance(resolution, deals.Candidates):
        return DealLookup(None, resolution.deals[:SUGGESTIONS])
    return DealLookup(None)


def get_deal(*, session: Session, workspace: Workspace, deal_id: int) -> Deal:
    deal = session.get(Deal, deal_id)
    if deal is None or deal.workspace_id != workspace.id:
        raise NotFound("I can't find that deal any more; `/qualify Deal name` looks it up.")
    return deal


def validate_deal(draft: DealDraft, *, today: date) -> dict[str, str]:
    """Field name → what is wrong and how to write it (name, owner, amount, close_date)."""
    errors: dict[str, str] = {}
    name = draft.name.strip()
    if not name:
        errors["name"] = "Name the deal, e.g. Acme Corp."
    elif len(name) > deals.DEAL_NAME_MAX:
        errors["name"] = f"Keep the deal name under {deals.DEAL_NAME_MAX} characters."
    elif refused := deals.check_name(name):
        errors["name"] = refused.message
    if not draft.owner_slack_id:
        errors["owner"] = "Pick who owns the deal: usually the rep running it."
    if draft.amount is not None and not 0 <= draft.amount <= AMOUNT_MAX:
        errors["amount"] = "The amount is what the deal is worth: 0 or more, e.g. 48000."
    if draft.close_date is None:
        errors["close_date"] = "Pick the date you expect it to close; a guess is fine."
    elif draft.close_date < today:
        errors["close_date"] = (
            f"{draft.close_date:%d %b %Y} is in the past; pick today or a later date."
        )
    return errors


def create_deal(
    *,
    session: Session,
    workspace: Workspace,
    draft: DealDraft,
    owner: Person,
    config: DealCoachConfig,
    now: datetime,
) -> Deal:
    """A new deal with its owner, amount and close date; refused if the name is taken."""
    today = now.astimezone(handoffs.time_zone(owner, config)).date()
    errors = validate_deal(draft, today=today)
    if errors:
        raise InvalidInput(errors)
    name = re.sub(r"\s+", " ", draft.name).strip()
    existing = find_deal(session=session, workspace=workspace, name=name).deal
    if existing is not None:
        raise _name_taken(existing.name)
    deal = Deal(
        workspace_id=workspace.id,
        name=name,
        name_key=deals.name_key(name),
        owner=owner,
        amount=draft.amount,
        close_date=draft.close_date,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(deal)
    except IntegrityError:
        raise _name_taken(name) from None  # someone created it a moment ago
    schedule_gap_nudge(session=session, deal=deal, config=config, now=now)
    return deal


def _name_taken(name: str) -> InvalidInput:
    return InvalidInput(
        {"name": f"There is already a deal called {name}; `/qualify {name}` opens it."}
    )


def update_deal(
    *,
    session: Session,
    deal: Deal,
    owner: Person,
    amount: int | None,
    close_date: date | None,
    config: DealCoachConfig,
    now: datetime,
) -> Deal:
    """Change a deal's owner, amount and close date, and move its reminder to fit."""
    draft = DealDraft(deal.name, owner.slack_user_id, amount, close_date)
    today = now.astimezone(handoffs.time_zone(owner, config)).date()
    errors = validate_deal(draft, today=today)
    if close_date is not None and close_date == deal.close_date:
        errors.pop("close_date", None)  # an unchanged date may lie in the past
    if errors:
        raise InvalidInput(errors)
    deal.owner = owner
    deal.amount = amount
    deal.close_date = close_date
    session.flush()
    schedule_gap_nudge(session=session, deal=deal, config=config, now=now)
    return deal


# --- frameworks ----------------------------------------------------------------------------


def framework_key(*, session: Session, deal: Deal, config: DealCoachConfig, asker: str) -> str:
    """The deal's own framework once it has one; else the team's of ``asker`` (or the owner)."""
    pinned = session.scalar(select(DealFramework.framework).where(DealFramework.deal_id == deal.id))
    if pinned is not None:
        return pinned
    owner = deal.owner.slack_user_id if deal.owner is not None else asker
    return config.framework_for(asker, owner)


def checklist(*, session: Session, deal: Deal, config: DealCoachConfig, asker: str) -> Checklist:
    key = framework_key(session=session, deal=deal, config=config, asker=asker)
    found = config.checklists.get(key)
    if found is None:
        others = ", ".join(sorted(config.checklists)) or "none"
        raise NotFound(
            f"{deal.name} is qualified with the {key!r} checklist, which is no longer in "
            f"config/checklists (there: {others}). Switch it with "
            f"`/qualify {deal.name} using {config.framework_for(asker)}`."
        )
    return found


def pick_framework(name: str, config: DealCoachConfig) -> Checklist:
    """The framework a person typed, or a message with the close matches and the choices."""
    key = name.strip().casefold()
    found = config.checklists.get(key)
    if found is not None:
        return found
    known = sorted(config.checklists)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" Did you mean *{close[0]}*?" if close else ""
    shown = name if CHECKLIST_KEY.match(key) else "that"
    raise InvalidInput(
        {
            "framework": f"I don't know a framework called {shown}.{hint} "
            f"The ones here: {', '.join(known)}."
        }
    )


def use_framework(
    *,
    session: Session,
    deal: Deal,
    framework: Checklist,
    actor: Person,
    config: DealCoachConfig,
    now: datetime,
) -> None:
    """Judge the deal by ``framework`` from now on (answers under others are kept)."""
    row = session.scalar(select(DealFramework).where(DealFramework.deal_id == deal.id))
    if row is not None and row.framework == framework.key:
        return
    if row is None:
        _pin(session, deal, framework.key, actor, now)
        # Pinned now, or by someone a moment ago: either way this explicit choice wins.
        row = session.scalars(select(DealFramework).where(DealFramework.deal_id == deal.id)).one()
    row.framework = framework.key
    row.chosen_by_id = actor.id
    row.chosen_at = now
    session.flush()
    schedule_gap_nudge(session=session, deal=deal, config=config, now=now)


def _pin(session: Session, deal: Deal, framework: str, actor: Person, now: datetime) -> None:
    """Keep the framework a deal was first answered under, unless someone switches it."""
    if session.scalar(select(DealFramework.id).where(DealFramework.deal_id == deal.id)):
        return
    try:
        with session.begin_nested():
            session.add(
                DealFramework(
                    deal_id=deal.id, framework=framework, chosen_by_id=actor.id, chosen_at=now
                )
            )
    except IntegrityError:
        pass  # pinned by someone answering at the same moment: theirs stands


# --- answers -------------------------------------------------------------------------------


def latest(*, session: Session, deal: Deal, framework: str) -> dict[str, Recorded]:
    """Item key → its latest answer under ``framework``."""
    rows = session.execute(
        select(QualificationAnswer, Person.slack_user_id)
        .join(Person, Person.id == QualificationAnswer.answered_by_id)
        .where(QualificationAnswer.deal_id == deal.id, QualificationAnswer.framework == framework)
        .order_by(QualificationAnswer.answered_at, QualificationAnswer.id)
    )
    found: dict[str, Recorded] = {}
    for answer, slack_user_id in rows:
        found[answer.item_key] = Recorded(
            answer.answer, answer.evidence, slack_user_id, answer.answered_at
        )
    return found


def standing(*, session: Session, deal: Deal, config: DealCoachConfig, asker: str) -> Standing:
    found = checklist(session=session, deal=deal, config=config, asker=asker)
    answers = latest(session=session, deal=deal, framework=found.key)
    return Standing(deal, found, tuple(rules.statuses(found, answers)))


def record(
    *,
    session: Session,
    deal: Deal,
    framework: Checklist,
    answers: Sequence[AnswerInput],
    actor: Person,
    config: DealCoachConfig,
    now: datetime,
) -> list[QualificationAnswer]:
    """Add a row for each answer that differs from the item's latest; returns the new rows.

    Checked as a whole first, so a bad answer means nothing is written.
    """
    errors: dict[str, str] = {}
    for given in answers:
        if framework.item(given.item_key) is None:
            errors[given.item_key] = f"{framework.name} has no item {given.item_key!r}."
        elif given.evidence is not None and len(given.evidence) > rules.EVIDENCE_MAX:
            errors[given.item_key] = f"Keep the evidence under {rules.EVIDENCE_MAX:,} characters."
    if errors:
        raise InvalidInput(errors)
    current = latest(session=session, deal=deal, framework=framework.key)
    written = []
    for given in answers:
        if not rules.is_change(given, current.get(given.item_key)):
            continue
        assert given.answer is not None
        row = QualificationAnswer(
            deal_id=deal.id,
            framework=framework.key,
            item_key=given.item_key,
            answer=given.answer,
            evidence=given.evidence,
            answered_by=actor,
            answered_at=now,
        )
        session.add(row)
        written.append(row)
    if written:
        _pin(session, deal, framework.key, actor, now)
        session.flush()
        schedule_gap_nudge(session=session, deal=deal, config=config, now=now)
        if deal.crm_id is not None:
            now_standing = standing(
                session=session, deal=deal, config=config, asker=actor.slack_user_id
            )
            crm_events.qualification_recorded(
                session=session, standing=now_standing, written=written, actor=actor, now=now
            )
    return written


def gap_lines(*, session: Session, deal: Deal, config: DealCoachConfig) -> tuple[str, ...]:
    """One short line per open item, for a handoff card; nothing for a deal never qualified."""
    owner = deal.owner.slack_user_id if deal.owner is not None else ""
    try:
        found = standing(session=session, deal=deal, config=config, asker=owner)
    except NotFound:
        return ()
    if not found.answered:
        return ()
    return tuple(rules.gap_line(status) for status in found.gaps)


# --- the reminder before the close date ----------------------------------------------------


def gap_nudge_due(
    *,
    close_date: date,
    owner: Person,
    config: DealCoachConfig,
    now: datetime,
    last_sent_at: datetime | None,
) -> datetime | None:
    """When the owner should next hear about open gaps, or ``None`` (the deal has closed).

    The first reminder is due ``nudge_days_before_close`` days before the close date, at
    the start of the owner's working day; another comes no sooner than
    ``nudge_interval_days`` after the last, and never after the close date.
    """
    tz = handoffs.time_zone(owner, config)
    settings = config.qualification
    first_day = close_date - timedelta(days=settings.nudge_days_before_close)
    earliest = max(datetime.combine(first_day, config.working_hours.start, tzinfo=tz), now)
    if last_sent_at is not None:
        earliest = max(earliest, last_sent_at + timedelta(days=settings.nudge_interval_days))
    due = working_hours.next_working_moment(earliest, tz=tz, hours=config.working_hours)
    return None if due.astimezone(tz).date() > close_date else due


def schedule_gap_nudge(
    *, session: Session, deal: Deal, config: DealCoachConfig, now: datetime
) -> DueWork | None:
    """Keep one pending reminder for this deal, due when :func:`gap_nudge_due` says.

    Its key names the deal and the stretch of ``nudge_interval_days`` it falls in, so the
    database itself keeps it to one reminder per deal per stretch.
    """
    pending = list(
        session.scalars(
            select(DueWork).where(
                DueWork.deal_id == deal.id, DueWork.kind == KIND, DueWork.state == DueWorkState.DUE
            )
        )
    )
    due = _next_due(session, deal, config, now)
    if due is None or deal.owner is None or not crm_deals.still_open(deal):
        for stale in pending:
            nudges.mark_cancelled(session=session, work=stale)
        return None
    tz = handoffs.time_zone(deal.owner, config)
    period = rules.nudge_period(due.astimezone(tz).date(), config.qualification.nudge_interval_days)
    key = f"deal:{deal.id}:gaps:{period}"
    for stale in pending:
        if stale.dedupe_key != key:
            nudges.mark_cancelled(session=session, work=stale)
    row = session.scalar(select(DueWork).where(DueWork.dedupe_key == key))
    if row is None:
        row = nudges.schedule(
            session=session,
            workspace_id=deal.workspace_id,
            kind=KIND,
            key=key,
            recipient_slack_id=deal.owner.slack_user_id,
            due_at=due,
            now=now,
        )
        if row is None:  # scheduled by someone else a moment ago
            return session.scalar(select(DueWork).where(DueWork.dedupe_key == key))
    elif row.state not in (DueWorkState.DUE, DueWorkState.CANCELLED):
        return row  # this stretch's reminder is on its way or went out already
    row.deal_id = deal.id
    nudges.due_again(
        session=session, work=row, due_at=due, recipient_slack_id=deal.owner.slack_user_id
    )
    session.flush()
    return row


def _next_due(
    session: Session, deal: Deal, config: DealCoachConfig, now: datetime
) -> datetime | None:
    if deal.owner is None or deal.close_date is None:
        return None
    try:
        found = standing(session=session, deal=deal, config=config, asker=deal.owner.slack_user_id)
    except NotFound:
        return None
    if not found.gaps:
        return None
    last_sent_at = session.scalar(
        select(DueWork.sent_at)
        .where(DueWork.deal_id == deal.id, DueWork.kind == KIND, DueWork.state == DueWorkState.SENT)
        .order_by(DueWork.sent_at.desc())
        .limit(1)
    )
    return gap_nudge_due(
        close_date=deal.close_date,
        owner=deal.owner,
        config=config,
        now=now,
        last_sent_at=last_sent_at,
    )
