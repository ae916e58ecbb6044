"""The rows a report is computed from: plain data a service loads, so figures are pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import RevenueProfile, WorkingHours


@dataclass(frozen=True)
class HandoffRow:
    id: int
    deal_name: str
    rep: str
    rep_name: str
    assignee: str
    state: str
    created_at: datetime
    #: Hours the rep would have spent on it, and what an hour of their selling is worth.
    rep_hours: float
    rep_profile: RevenueProfile
    #: The assignee's clock, for business hours.
    assignee_tz: ZoneInfo
    assignee_hours: WorkingHours
    #: (kind, at) for every event, oldest first (kinds as in ``HandoffEventKind``).
    events: tuple[tuple[str, datetime], ...]
    channel_id: str | None = None
    message_ts: str | None = None

    def first(self, kind: str) -> datetime | None:
        return next((at for event, at in self.events if event == kind), None)

    def count(self, kind: str, start: datetime, end: datetime) -> int:
        return sum(1 for event, at in self.events if event == kind and start <= at < end)


@dataclass(frozen=True)
class DealRow:
    """An open deal's standing on its checklist; ``percent`` is ``None`` if never qualified."""

    deal_id: int
    percent: int | None
    open_items: tuple[str, ...]


@dataclass(frozen=True)
class ParaphraseRow:
    created_at: datetime
    confirmed_at: datetime | None


@dataclass(frozen=True)
class TipRatingRow:
    at: datetime
    helpful: bool


@dataclass(frozen=True)
class GapLine:
    """A need and the revenue riding on it across deals."""

    title: str
    feature_area: str
    deals: int
    revenue: float
    #: Deals whose value is unknown: counted in ``deals``, not in ``revenue``.
    deals_without_value: int = 0


@dataclass(frozen=True)
class ReportRows:
    team: str
    handoffs: tuple[HandoffRow, ...]
    deals: tuple[DealRow, ...]
    paraphrases: tuple[ParaphraseRow, ...]
    tip_ratings: tuple[TipRatingRow, ...]
    top_gaps: tuple[GapLine, ...]
    #: ``logged_at`` of every product gap, for the count per period.
    gaps_logged: tuple[datetime, ...]
    #: The acknowledgement SLA, in the assignee's business hours.
    acknowledge_hours: float
    #: The open deals' standing at the end of the period before (answers given by then).
    deals_before: tuple[DealRow, ...] = ()
