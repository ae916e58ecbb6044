"""The figures of a manager's report, for a period and the one before it.

Every function is pure: rows in, figures out. Time to accept counts the assignee's
business hours only, so a handoff opened Friday 16:00 and accepted Monday 10:00 took
two hours, not a weekend.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.coaching import working_hours
from bot.reports.rows import DealRow, GapLine, HandoffRow, ReportRows

OPEN_SHOWN = 3
#: Score bands for qualification coverage: (label, lowest percent).
BANDS = (("70–100%", 70), ("40–69%", 40), ("0–39%", 0))
NOT_STARTED = "not started"
#: What counts as answering a handoff, for the acknowledgement SLA.
ANSWERS = ("accepted", "declined", "resolved")


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def __contains__(self, moment: object) -> bool:
        return isinstance(moment, datetime) and self.start <= moment < self.end

    def before(self) -> Period:
        return Period(self.start - (self.end - self.start), self.start)


@dataclass(frozen=True)
class RepSaving:
    rep: str
    rep_name: str
    hours: float
    dollars: float


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    opened: int
    accepted: int
    resolved: int
    declined: int
    reassigned: int
    sla_misses: int
    escalations: int
    #: Business hours from opening to the first acceptance, of those accepted in the period.
    accept_median: float | None
    accept_p90: float | None
    saved: tuple[RepSaving, ...]
    paraphrases_written: int
    paraphrases_confirmed: int
    tips_helpful: int
    tips_not_helpful: int
    gaps_logged: int

    @property
    def saved_hours(self) -> float:
        return sum(s.hours for s in self.saved)

    @property
    def saved_dollars(self) -> float:
        return sum(s.dollars for s in self.saved)


@dataclass(frozen=True)
class OpenHandoff:
    id: int
    deal_name: str
    assignee: str
    opened_at: datetime
    channel_id: str | None
    message_ts: str | None


@dataclass(frozen=True)
class Coverage:
    open_deals: int
    #: (band label, share 0-1) for each band and "not started", in BANDS order.
    bands: tuple[tuple[str, float], ...]
    most_common_gap: str | None
    most_common_gap_deals: int


@dataclass(frozen=True)
class WeekPoint:
    week_start: datetime
    opened: int
    accepted_in_sla: int
    accept_median: float | None


@dataclass(frozen=True)
class Report:
    team: str
    weeks: int
    current: PeriodFigures
    previous: PeriodFigures
    oldest_open: tuple[OpenHandoff, ...]
    coverage: Coverage
    top_gaps: tuple[GapLine, ...]
    trend: tuple[WeekPoint, ...]
    #: Digest weeks that went unsent (an outage) and are folded into this one.
    missed_weeks: int = 0
    #: Qualification coverage at the end of the period before, from the answers by then.
    previous_coverage: Coverage | None = None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def accept_hours(row: HandoffRow) -> float | None:
    accepted = row.first("accepted")
    if accepted is None:
        return None
    return working_hours.business_hours_between(
        row.created_at, accepted, tz=row.assignee_tz, hours=row.assignee_hours
    )


def sla_deadline(row: HandoffRow, acknowledge_hours: float) -> datetime:
    return working_hours.add_business_hours(
        row.created_at, acknowledge_hours, tz=row.assignee_tz, hours=row.assignee_hours
    )


def missed_sla(
    row: HandoffRow, acknowledge_hours: float, period: Period, deadline: datetime | None = None
) -> bool:
    """Its acknowledgement deadline fell in the period and nobody had answered it by then
    (accepted it, or declined or resolved it outright)."""
    if deadline is None:
        deadline = sla_deadline(row, acknowledge_hours)
    answers = [at for kind in ANSWERS if (at := row.first(kind)) is not None]
    return deadline in period and (not answers or min(answers) > deadline)


@dataclass(frozen=True)
class Timing:
    """A handoff's business-hour figures, worked out once per report."""

    accept_hours: float | None
    sla_deadline: datetime


Timings = dict[int, Timing]


def timings(rows: ReportRows) -> Timings:
    return {
        row.id: Timing(accept_hours(row), sla_deadline(row, rows.acknowledge_hours))
        for row in rows.handoffs
    }


def savings(handoffs: Sequence[HandoffRow], period: Period) -> tuple[RepSaving, ...]:
    """Selling time the handoffs resolved in the period gave back to each rep, most first."""
    per_rep: dict[str, RepSaving] = {}
    for row in handoffs:
        resolved = row.first("resolved")
        if resolved is None or resolved not in period:
            continue
        profile = row.rep_profile
        hourly = profile.new_revenue_per_year / profile.selling_days_per_year
        hourly /= profile.hours_per_day
        before = per_rep.get(row.rep, RepSaving(row.rep, row.rep_name, 0.0, 0.0))
        per_rep[row.rep] = RepSaving(
            row.rep,
            row.rep_name,
            before.hours + row.rep_hours,
            before.dollars + row.rep_hours * hourly,
        )
    return tuple(sorted(per_rep.values(), key=lambda s: (-s.dollars, s.rep)))


def period_figures(rows: ReportRows, period: Period, known: Timings | None = None) -> PeriodFigures:
    handoffs = rows.handoffs
    known = known if known is not None else timings(rows)
    times = [
        hours
        for row in handoffs
        if (accepted := row.first("accepted")) is not None and accepted in period
        if (hours := known[row.id].accept_hours) is not None
    ]

    def events(kind: str) -> int:
        return sum(row.count(kind, period.start, period.end) for row in handoffs)

    return PeriodFigures(
        period=period,
        opened=sum(1 for row in handoffs if row.created_at in period),
        accepted=events("accepted"),
        resolved=events("resolved"),
        declined=events("declined"),
        reassigned=events("reassigned"),
        sla_misses=sum(
            1
            for row in handoffs
            if missed_sla(row, rows.acknowledge_hours, period, known[row.id].sla_deadline)
        ),
        escalations=events("escalated"),
        accept_median=statistics.median(times) if times else None,
        accept_p90=percentile(times, 0.9),
        saved=savings(handoffs, period),
        paraphrases_written=sum(1 for p in rows.paraphrases if p.created_at in period),
        paraphrases_confirmed=sum(1 for p in rows.paraphrases if p.confirmed_at in period),
        tips_helpful=sum(1 for t in rows.tip_ratings if t.helpful and t.at in period),
        tips_not_helpful=sum(1 for t in rows.tip_ratings if not t.helpful and t.at in period),
        gaps_logged=sum(1 for at in rows.gaps_logged if at in period),
    )


def oldest_open(handoffs: Sequence[HandoffRow], limit: int = OPEN_SHOWN) -> tuple[OpenHandoff, ...]:
    still_open = sorted(
        (row for row in handoffs if row.state == "open"), key=lambda r: (r.created_at, r.id)
    )
    return tuple(
        OpenHandoff(r.id, r.deal_name, r.assignee, r.created_at, r.channel_id, r.message_ts)
        for r in still_open[:limit]
    )


def coverage(deals: Sequence[DealRow]) -> Coverage:
    """Share of open deals in each score band, and the checklist item most often still open."""
    total = len(deals)
    counts: Counter[str] = Counter()
    for deal in deals:
        if deal.percent is None:
            counts[NOT_STARTED] += 1
            continue
        counts[next(label for label, lowest in BANDS if deal.percent >= lowest)] += 1
    labels = [label for label, _ in BANDS] + [NOT_STARTED]
    bands = tuple((label, counts[label] / total if total else 0.0) for label in labels)
    open_items = Counter(item for deal in deals for item in set(deal.open_items))
    common = min(open_items.items(), key=lambda kv: (-kv[1], kv[0])) if open_items else None
    return Coverage(
        open_deals=total,
        bands=bands,
        most_common_gap=common[0] if common else None,
        most_common_gap_deals=common[1] if common else 0,
    )


def trend(
    rows: ReportRows, end: datetime, weeks: int, known: Timings | None = None
) -> tuple[WeekPoint, ...]:
    """Week by week, oldest first: opened, accepted within the SLA, median time to accept."""
    known = known if known is not None else timings(rows)
    points = []
    for back in range(weeks, 0, -1):
        week = Period(end - timedelta(weeks=back), end - timedelta(weeks=back - 1))
        opened = [row for row in rows.handoffs if row.created_at in week]
        in_sla = 0
        times = []
        for row in opened:
            hours = known[row.id].accept_hours
            if hours is None:
                continue
            times.append(hours)
            in_sla += hours <= rows.acknowledge_hours
        points.append(
            WeekPoint(week.start, len(opened), in_sla, statistics.median(times) if times else None)
        )
    return tuple(points)


def report(
    rows: ReportRows, *, end: datetime, weeks: int, trend_weeks: int = 8, missed_weeks: int = 0
) -> Report:
    """The whole report: the last ``weeks`` before ``end`` against the ``weeks`` before that."""
    if weeks < 1:
        raise ValueError(f"weeks must be 1 or more, got {weeks}")
    current = Period(end - timedelta(weeks=weeks), end)
    known = timings(rows)
    return Report(
        team=rows.team,
        weeks=weeks,
        current=period_figures(rows, current, known),
        previous=period_figures(rows, current.before(), known),
        oldest_open=oldest_open(rows.handoffs),
        coverage=coverage(rows.deals),
        top_gaps=rows.top_gaps,
        trend=trend(rows, end, max(trend_weeks, weeks), known),
        missed_weeks=missed_weeks,
        previous_coverage=coverage(rows.deals_before),
    )
