"""The manager's report: who may see it, which team and period, and the rows it is made of.

The figures themselves are pure functions in :mod:`bot.reports.figures`; this module
only checks the request and loads rows for one team.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from bot.coaching import qualification as rules
from bot.config import DealCoachConfig, Team
from bot.db.models import (
    Deal,
    DealFramework,
    Handoff,
    HandoffEvent,
    HandoffState,
    Paraphrase,
    Person,
    ProductGap,
    QualificationAnswer,
    TipFeedback,
    Workspace,
)
from bot.reports import figures
from bot.reports.rows import (
    DealRow,
    GapLine,
    HandoffRow,
    ParaphraseRow,
    ReportRows,
    TipRatingRow,
)
from bot.services import gaps, preferences
from bot.services.errors import InvalidInput, NotAllowed

DEFAULT_WEEKS = 1
TREND_WEEKS = 8
USAGE = "Write `/coach report [team] [weeks]`, e.g. `/coach report Enterprise West 4`."


def readers_line(config: DealCoachConfig) -> str:
    readers = config.report_readers()
    names = ", ".join(f"<@{reader}>" for reader in readers) or "nobody yet"
    return (
        "Team reports are for SE managers and sales managers (`se_managers` and "
        f"`sales_managers` in config/dealcoach.yaml): {names}. Ask one of them for the "
        "figures, or ask whoever runs Deal Coach to add you there."
    )


def parse_request(text: str, *, asker: str, config: DealCoachConfig) -> tuple[Team, int]:
    """``[team] [weeks]`` → the team and the weeks; refuses people who manage no team."""
    teams = config.report_teams(asker)
    if not teams:
        raise NotAllowed(readers_line(config))
    words = text.split()
    weeks = DEFAULT_WEEKS
    if words and words[-1].lstrip("-").isdigit():
        weeks = int(words.pop())
        top = config.reports.max_weeks
        if not 1 <= weeks <= top:
            raise InvalidInput({"weeks": f"Weeks is 1 to {top}. {USAGE}"})
    name = " ".join(words).strip()
    if not name:
        return teams[0], weeks
    found = next((t for t in config.teams if t.name.casefold() == name.casefold()), None)
    if found is None:
        known = ", ".join(t.name for t in teams)
        raise InvalidInput({"team": f"There is no team called {name!r} (yours: {known}). {USAGE}"})
    if found not in teams:
        raise NotAllowed(f"You don't manage {found.name}. {readers_line(config)}")
    return found, weeks


def _people(session: Session, workspace: Workspace, team: Team) -> dict[int, Person]:
    members = {*team.reps, *team.ses, *team.se_managers, *team.sales_managers}
    found = session.scalars(
        select(Person).where(Person.workspace_id == workspace.id, Person.slack_user_id.in_(members))
    )
    return {person.id: person for person in found}


def _handoff_rows(
    session: Session,
    workspace: Workspace,
    members: dict[int, Person],
    since: datetime,
    config: DealCoachConfig,
) -> list[HandoffRow]:
    """Handoffs of the team's people touched since ``since`` or still open, as plain rows
    (column queries: no ORM objects per handoff or event)."""
    ids = list(members)
    touched = select(HandoffEvent.handoff_id).where(HandoffEvent.at >= since)
    scope = and_(
        Handoff.workspace_id == workspace.id,
        or_(Handoff.rep_id.in_(ids), Handoff.assignee_id.in_(ids)),
        or_(Handoff.id.in_(touched), Handoff.state == HandoffState.OPEN),
    )
    found = session.execute(
        select(
            Handoff.id,
            Handoff.rep_id,
            Handoff.assignee_id,
            Handoff.state,
            Handoff.created_at,
            Handoff.rep_hours,
            Handoff.channel_id,
            Handoff.message_ts,
            Deal.name,
        )
        .join(Deal, Deal.id == Handoff.deal_id)
        .where(scope)
        .order_by(Handoff.id)
    ).all()
    events: dict[int, list[tuple[str, datetime]]] = {}
    for handoff_id, kind, at in session.execute(
        select(HandoffEvent.handoff_id, HandoffEvent.kind, HandoffEvent.at)
        .where(HandoffEvent.handoff_id.in_(select(Handoff.id).where(scope)))
        .order_by(HandoffEvent.at, HandoffEvent.id)
    ):
        events.setdefault(handoff_id, []).append((kind.value, at))
    people = dict(members)
    strangers = {row.rep_id for row in found} | {row.assignee_id for row in found}
    strangers -= set(people)
    if strangers:
        people.update(
            (p.id, p) for p in session.scalars(select(Person).where(Person.id.in_(strangers)))
        )
    prefs = {person_id: preferences.for_person(p, config) for person_id, p in people.items()}
    rows = []
    for row in found:
        rep, assignee = people[row.rep_id], people[row.assignee_id]
        rows.append(
            HandoffRow(
                id=row.id,
                deal_name=row.name,
                rep=rep.slack_user_id,
                rep_name=rep.display_name or rep.slack_user_id,
                assignee=assignee.slack_user_id,
                state=row.state.value,
                created_at=row.created_at,
                rep_hours=row.rep_hours,
                rep_profile=config.revenue.for_rep(rep.slack_user_id),
                assignee_tz=prefs[row.assignee_id].tz,
                assignee_hours=prefs[row.assignee_id].hours,
                events=tuple(events.get(row.id, ())),
                channel_id=row.channel_id,
                message_ts=row.message_ts,
            )
        )
    return rows


def _open_deals(
    workspace: Workspace, owners: Collection[int], now: datetime, as_of: datetime | None = None
) -> Select[Deal]:
    """Open deals (no close date, or one not yet passed) owned by the team's people; with
    ``as_of``, the deals that were open at that moment (created before it)."""
    moment = as_of or now
    query = select(Deal).where(
        Deal.workspace_id == workspace.id,
        Deal.owner_id.in_(owners),
        or_(Deal.close_date.is_(None), Deal.close_date >= moment.date()),
    )
    return query if as_of is None else query.where(Deal.created_at < as_of)


def _team_deal_ids(workspace: Workspace, ids: Collection[int]) -> Select[Any]:
    """The team's deals: owned by one of its people, or with a handoff from or to one."""
    handed = select(Handoff.deal_id).where(
        Handoff.workspace_id == workspace.id,
        or_(Handoff.rep_id.in_(ids), Handoff.assignee_id.in_(ids)),
    )
    return select(Deal.id).where(
        Deal.workspace_id == workspace.id, or_(Deal.owner_id.in_(ids), Deal.id.in_(handed))
    )


def _deal_rows(
    session: Session,
    workspace: Workspace,
    owners: Collection[int],
    config: DealCoachConfig,
    now: datetime,
    as_of: datetime | None = None,
) -> list[DealRow]:
    """Each open deal's score and open items, from three queries whatever the deal count.

    The same standing :func:`bot.services.qualification.standing` gives one deal at a
    time: the pinned framework, else the owner's team's; the latest answer per item.
    With ``as_of``, the standing at that moment, from the answers given before it.
    """
    deals = session.execute(
        _open_deals(workspace, owners, now, as_of)
        .with_only_columns(Deal.id, Person.slack_user_id)
        .join(Person, Person.id == Deal.owner_id)
        .order_by(Deal.id)
    ).all()
    ids = _open_deals(workspace, owners, now, as_of).with_only_columns(Deal.id).scalar_subquery()
    pinned: dict[int, str] = {
        deal_id: framework
        for deal_id, framework in session.execute(
            select(DealFramework.deal_id, DealFramework.framework).where(
                DealFramework.deal_id.in_(ids)
            )
        )
    }
    latest: dict[tuple[int, str], dict[str, rules.Recorded]] = {}
    answers_query = (
        select(
            QualificationAnswer.deal_id,
            QualificationAnswer.framework,
            QualificationAnswer.item_key,
            QualificationAnswer.answer,
            QualificationAnswer.answered_at,
        )
        .where(QualificationAnswer.deal_id.in_(ids))
        .order_by(QualificationAnswer.answered_at, QualificationAnswer.id)
    )
    if as_of is not None:
        answers_query = answers_query.where(QualificationAnswer.answered_at < as_of)
    for deal_id, framework, item_key, answer, answered_at in session.execute(answers_query):
        latest.setdefault((deal_id, framework), {})[item_key] = rules.Recorded(
            answer, None, "", answered_at
        )
    rows = []
    for deal_id, owner in deals:
        key = pinned.get(deal_id) or config.framework_for(owner)
        checklist = config.checklists.get(key)
        answers = latest.get((deal_id, key))
        if checklist is None or not answers:
            rows.append(DealRow(deal_id, None, ()))
            continue
        items = rules.statuses(checklist, answers)
        if all(status.latest is None for status in items):
            rows.append(DealRow(deal_id, None, ()))
            continue
        gaps_open = tuple(status.item.title for status in rules.gaps(items))
        rows.append(DealRow(deal_id, rules.score(items).percent, gaps_open))
    return rows


def load(
    *,
    session: Session,
    workspace: Workspace,
    team: Team,
    config: DealCoachConfig,
    now: datetime,
    weeks: int,
    trend_weeks: int = TREND_WEEKS,
) -> ReportRows:
    """Every row the team's report needs, from the start of the period before this one."""
    since = now - timedelta(weeks=max(2 * weeks, trend_weeks))
    members = _people(session, workspace, team)
    ids = list(members)
    paraphrases = session.scalars(
        select(Paraphrase).where(
            Paraphrase.workspace_id == workspace.id,
            Paraphrase.author_id.in_(ids),
            or_(Paraphrase.created_at >= since, Paraphrase.confirmed_at >= since),
        )
    )
    ratings = session.scalars(
        select(TipFeedback).where(TipFeedback.person_id.in_(ids), TipFeedback.at >= since)
    )
    logged = session.scalars(
        select(ProductGap.logged_at).where(
            ProductGap.workspace_id == workspace.id,
            ProductGap.logged_by_id.in_(ids),
            ProductGap.logged_at >= since,
        )
    )
    top = gaps.top_by_revenue(
        session=session,
        workspace=workspace,
        config=config,
        deal_ids=_team_deal_ids(workspace, ids),
    )
    return ReportRows(
        team=team.name,
        handoffs=tuple(_handoff_rows(session, workspace, members, since, config)),
        deals=tuple(_deal_rows(session, workspace, ids, config, now)),
        deals_before=tuple(
            _deal_rows(session, workspace, ids, config, now, as_of=now - timedelta(weeks=weeks))
        ),
        paraphrases=tuple(ParaphraseRow(p.created_at, p.confirmed_at) for p in paraphrases),
        tip_ratings=tuple(TipRatingRow(t.at, t.helpful) for t in ratings),
        top_gaps=tuple(
            GapLine(
                g.group.title,
                g.group.feature_area,
                g.stake.deals,
                g.stake.revenue,
                g.stake.deals_without_value,
            )
            for g in top
        ),
        gaps_logged=tuple(logged),
        acknowledge_hours=config.sla.acknowledge_hours,
    )


def build(
    *,
    session: Session,
    workspace: Workspace,
    team: Team,
    config: DealCoachConfig,
    now: datetime,
    weeks: int,
    missed_weeks: int = 0,
) -> figures.Report:
    rows = load(
        session=session, workspace=workspace, team=team, config=config, now=now, weeks=weeks
    )
    return figures.report(
        rows, end=now, weeks=weeks, trend_weeks=TREND_WEEKS, missed_weeks=missed_weeks
    )
