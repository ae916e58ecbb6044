"""Routing over the database: load the rep's team's SEs as candidates and rank them.

The ranking itself is pure (:mod:`bot.coaching.routing`); this module reads who covers
what from config, open handoffs and last assignments from ``handoff``, time away from
``away_period`` and, when the caller fetched them, Slack statuses. Slack is never called
from here: statuses are read before the transaction opens (:mod:`bot.slack.statuses`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coaching import away as away_rules
from bot.coaching import routing as ranking
from bot.config import DealCoachConfig, Team
from bot.db.base import UTCDateTime
from bot.db.models import (
    AwayPeriod,
    Deal,
    Handoff,
    HandoffEvent,
    HandoffEventKind,
    HandoffState,
    Person,
    Workspace,
)
from bot.services import away, deals
from bot.services.errors import InvalidInput

OPEN_STATES = (HandoffState.OPEN, HandoffState.ACCEPTED)
ASSIGNING = (HandoffEventKind.OPENED, HandoffEventKind.REASSIGNED)


@dataclass(frozen=True)
class Outcome:
    """Who routing picked and why, everyone ranked, and who to ask when nobody fits."""

    routed: ranking.Routed
    need: ranking.Need
    team: Team
    #: The team's SE managers: they get the "route this" message when nobody is chosen.
    managers: list[str] = field(default_factory=list)

    @property
    def assignee(self) -> str | None:
        chosen = self.routed.chosen
        return chosen.candidate.slack_user_id if chosen else None

    @property
    def reason(self) -> str | None:
        return self.routed.explanation


def team_of_rep(config: DealCoachConfig, rep_slack_id: str) -> Team:
    """The rep's (first) team; the only team when there is one and the rep is in none."""
    teams = [team for team in config.teams if rep_slack_id in team.reps]
    if not teams and len(config.teams) == 1:
        teams = list(config.teams)
    if not teams:
        raise InvalidInput(
            {
                "assignee": "You're not on a team in config/dealcoach.yaml, so I can't pick "
                "an SE for you. Name one: `/handoff @se Deal name: the problem`."
            }
        )
    return teams[0]


def need_for(
    config: DealCoachConfig,
    *,
    team: Team,
    problem: str,
    area: str | None = None,
    territory: str | None = None,
) -> ranking.Need:
    """What the handoff asks for: the chosen area, else one read from the problem's words."""
    areas = config.routing.areas
    if area is not None and area not in areas:
        known = ", ".join(a.name for a in areas.values()) or "none are configured"
        raise InvalidInput({"product_area": f"Pick a product area from the list ({known})."})
    key = area or ranking.infer_area(problem, config.routing.area_words())
    return ranking.Need(
        area=key,
        area_name=config.routing.area_name(key),
        territory=(territory or "").strip() or None,
        team=team.name,
    )


def territories(config: DealCoachConfig) -> list[str]:
    """Every territory or segment some SE covers, as configured, in config order."""
    found: dict[str, str] = {}
    for coverage in config.routing.ses.values():
        for territory in coverage.territories:
            found.setdefault(territory.casefold(), territory)
    return list(found.values())


def set_territory(*, deal: Deal, territory: str | None, config: DealCoachConfig) -> None:
    """Set the deal's territory (empty clears it), spelt as the config spells it.

    A territory no SE covers is refused with the list, so a typo ("EMAE") cannot quietly
    keep a deal out of its territory's routing.
    """
    wanted = (territory or "").strip()
    if not wanted:
        deal.territory = None
        return
    known = territories(config)
    match = next((t for t in known if t.casefold() == wanted.casefold()), None)
    if match is None:
        choices = ", ".join(known) if known else "none yet: add them under routing.ses"
        raise InvalidInput({"territory": f"No SE covers “{wanted[:40]}”. Pick one of: {choices}."})
    deal.territory = match


def route(
    *,
    session: Session,
    workspace: Workspace,
    rep_slack_id: str,
    need: ranking.Need,
    team: Team,
    config: DealCoachConfig,
    now: datetime,
    statuses: Mapping[str, away_rules.SlackStatus] | None = None,
    exclude: Collection[str] = (),
) -> Outcome:
    """Rank the team's SEs (not the rep, not ``exclude``) for ``need`` and pick one if any fits.

    ``statuses`` are Slack statuses by user id; an SE whose status says out of office is
    away unless they set a date with ``/coach away`` (which says more).
    """
    ids = [se for se in team.ses if se != rep_slack_id and se not in exclude]
    candidates = load_candidates(
        session=session,
        workspace=workspace,
        slack_user_ids=ids,
        config=config,
        now=now,
        statuses=statuses or {},
    )
    routed = ranking.route(candidates, need, config.routing.rules)
    return Outcome(routed=routed, need=need, team=team, managers=list(team.se_managers))


def load_candidates(
    *,
    session: Session,
    workspace: Workspace,
    slack_user_ids: list[str],
    config: DealCoachConfig,
    now: datetime,
    statuses: Mapping[str, away_rules.SlackStatus],
) -> list[ranking.Candidate]:
    """Each SE with their coverage, cap, open handoffs, last assignment and time away."""
    people = {
        person.slack_user_id: person
        for person in session.scalars(
            select(Person).where(
                Person.workspace_id == workspace.id, Person.slack_user_id.in_(slack_user_ids)
            )
        )
    }
    person_ids = [person.id for person in people.values()]
    open_counts = _open_counts(session, person_ids)
    last_assigned = _last_assigned(session, person_ids)
    periods = away.away_now(session=session, person_ids=person_ids, now=now)
    candidates = []
    for slack_user_id in slack_user_ids:
        coverage = config.routing.coverage(slack_user_id)
        person = people.get(slack_user_id)
        person_id = person.id if person is not None else None
        period = periods.get(person_id) if person_id is not None else None
        candidates.append(
            ranking.Candidate(
                slack_user_id=slack_user_id,
                areas=frozenset(coverage.areas),
                territories=frozenset(coverage.territories),
                open_handoffs=open_counts.get(person_id, 0) if person_id else 0,
                max_open=config.routing.cap(slack_user_id),
                away=_away(period, statuses.get(slack_user_id), config, now),
                last_assigned_at=last_assigned.get(person_id) if person_id else None,
            )
        )
    return candidates


def _away(
    period: AwayPeriod | None,
    status: away_rules.SlackStatus | None,
    config: DealCoachConfig,
    now: datetime,
) -> ranking.Away | None:
    if period is not None:
        return ranking.Away(reason=period.reason, until=period.until)
    ooo = config.routing.out_of_office
    if status is not None and away_rules.status_says_away(
        status, now=now, words=ooo.words, emoji=ooo.emoji
    ):
        return ranking.Away(reason=away_rules.status_line(status) or None, from_slack_status=True)
    return None


def _open_counts(session: Session, person_ids: list[int]) -> dict[int, int]:
    if not person_ids:
        return {}
    rows = session.execute(
        select(Handoff.assignee_id, func.count(Handoff.id))
        .where(Handoff.assignee_id.in_(person_ids), Handoff.state.in_(OPEN_STATES))
        .group_by(Handoff.assignee_id)
    )
    return {assignee_id: count for assignee_id, count in rows}


def _last_assigned(session: Session, person_ids: list[int]) -> dict[int, datetime]:
    """When each SE was last given a handoff they still hold (opened to them or reassigned)."""
    if not person_ids:
        return {}
    latest = func.max(HandoffEvent.at, type_=UTCDateTime())
    rows = session.execute(
        select(Handoff.assignee_id, latest)
        .join(HandoffEvent, HandoffEvent.handoff_id == Handoff.id)
        .where(Handoff.assignee_id.in_(person_ids), HandoffEvent.kind.in_(ASSIGNING))
        .group_by(Handoff.assignee_id)
    )
    return {assignee_id: at for assignee_id, at in rows}


def area_keys(config: DealCoachConfig) -> dict[str, str]:
    """Product area key → name, in config order (for selects and labels)."""
    return {key: area.name for key, area in config.routing.areas.items()}


def area_for(config: DealCoachConfig, *, problem: str, chosen: str | None) -> str | None:
    """The handoff's product area: the one chosen in the form, else one read from the problem."""
    if chosen in config.routing.areas:
        return chosen
    return ranking.infer_area(problem, config.routing.area_words())


def names(
    *, session: Session, workspace: Workspace, slack_user_ids: Collection[str]
) -> dict[str, str]:
    """Slack user id → display name, for people the bot has met (buttons show these)."""
    rows = session.execute(
        select(Person.slack_user_id, Person.display_name).where(
            Person.workspace_id == workspace.id, Person.slack_user_id.in_(list(slack_user_ids))
        )
    )
    return {slack_user_id: name for slack_user_id, name in rows if name}


def deal_territory(
    *, session: Session, workspace: Workspace, deal_name: str, deal_id: int | None = None
) -> str | None:
    """The territory of the deal picked by id, else of the deal this name names exactly
    (``None``: no such deal, or unset)."""
    which = (
        Deal.id == deal_id if deal_id is not None else Deal.name_key == deals.name_key(deal_name)
    )
    return session.scalar(select(Deal.territory).where(Deal.workspace_id == workspace.id, which))
