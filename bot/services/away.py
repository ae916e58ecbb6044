"""Time away: ``/coach away until <date> [reason]`` and ``/coach back``.

Routing gives no new handoff to someone away. The date is the last day away in the
person's own time zone (their Slack zone, else the team default), so "until Friday"
lasts to midnight on Friday where they are, wherever the server is.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.coaching import away as rules
from bot.config import DealCoachConfig
from bot.db.models import AwayPeriod, Person
from bot.services import preferences
from bot.services.errors import InvalidInput

#: The field an error from the command text is reported on.
FIELD = "away"


def set_away(
    *, session: Session, person: Person, text: str, config: DealCoachConfig, now: datetime
) -> AwayPeriod:
    """Read ``until <date> [reason]`` in the person's zone and record it.

    A period already running ends now: the new date replaces it.
    """
    tz = preferences.for_person(person, config).tz
    try:
        request = rules.read_request(text, now=now, tz=tz)
    except rules.AwayProblem as problem:
        raise InvalidInput({FIELD: str(problem)}) from None
    _end_current(session, person, now)
    period = AwayPeriod(
        workspace_id=person.workspace_id,
        person_id=person.id,
        until=request.until,
        time_zone=tz.key,
        ends_at=rules.back_at(request.until, tz),
        reason=request.reason,
        created_at=now,
    )
    session.add(period)
    session.flush()
    return period


def back(*, session: Session, person: Person, now: datetime) -> AwayPeriod | None:
    """End the person's time away now; the period that ended, or ``None`` if they were not away."""
    return _end_current(session, person, now)


def current(*, session: Session, person: Person, now: datetime) -> AwayPeriod | None:
    return away_now(session=session, person_ids=[person.id], now=now).get(person.id)


def away_now(
    *, session: Session, person_ids: Collection[int], now: datetime
) -> dict[int, AwayPeriod]:
    """Person id → the period they are away in at ``now`` (the latest, if several)."""
    if not person_ids:
        return {}
    periods = session.scalars(
        select(AwayPeriod)
        .where(
            AwayPeriod.person_id.in_(person_ids),
            AwayPeriod.ended_at.is_(None),
            AwayPeriod.created_at <= now,
            AwayPeriod.ends_at > now,
        )
        .order_by(AwayPeriod.created_at, AwayPeriod.id)
    )
    return {period.person_id: period for period in periods}


def _end_current(session: Session, person: Person, now: datetime) -> AwayPeriod | None:
    period = current(session=session, person=person, now=now)
    if period is not None:
        period.ended_at = now
        session.flush()
    return period
