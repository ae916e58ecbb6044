"""The weekly trend as a PNG: handoffs opened against those accepted within the SLA, and
the median time to accept. Built on matplotlib's Agg canvas, so no display is needed and
no global pyplot state is touched (safe in a worker thread)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.reports.figures import WeekPoint

if TYPE_CHECKING:  # matplotlib loads at the first chart, not at start-up
    from matplotlib.figure import Figure

OPENED = "Opened"
IN_SLA = "Accepted within SLA"
MEDIAN = "Median hours to accept"
SLA = "SLA"
DPI = 100


@dataclass(frozen=True)
class Chart:
    png: bytes
    #: Read by screen readers and shown when the image cannot be.
    alt_text: str
    file_name: str


def _label(point: WeekPoint) -> str:
    return f"{point.week_start:%d %b}"


def figure(trend: Sequence[WeekPoint], *, team: str, sla_hours: float) -> Figure:
    """The chart as a matplotlib figure: two panels sharing the week axis."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 5), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    counts, hours = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    weeks = list(range(len(trend)))
    width = 0.38
    counts.bar(
        [w - width / 2 for w in weeks],
        [p.opened for p in trend],
        width,
        label=OPENED,
        color="#4a6fa5",
    )
    counts.bar(
        [w + width / 2 for w in weeks],
        [p.accepted_in_sla for p in trend],
        width,
        label=IN_SLA,
        color="#5aa469",
    )
    counts.set_ylabel("Handoffs")
    counts.set_title(f"{team}: handoffs per week")
    counts.legend(loc="upper left", frameon=False)
    counts.yaxis.get_major_locator().set_params(integer=True)
    medians = [float("nan") if p.accept_median is None else p.accept_median for p in trend]
    hours.plot(weeks, medians, marker="o", color="#c8553d", label=MEDIAN)
    hours.axhline(sla_hours, linestyle="--", color="#888888", label=SLA)
    hours.set_ylabel("Business hours")
    hours.set_ylim(bottom=0)
    hours.legend(loc="upper left", frameon=False)
    hours.set_xticks(weeks, [_label(p) for p in trend])
    return fig


def alt_text(trend: Sequence[WeekPoint], *, team: str, sla_hours: float) -> str:
    """A sentence a screen reader can say instead of showing the picture."""
    if not trend:
        return f"{team}: no weeks to chart yet."
    last = trend[-1]
    opened = ", ".join(str(p.opened) for p in trend)
    in_sla = ", ".join(str(p.accepted_in_sla) for p in trend)
    median = (
        "no handoff accepted"
        if last.accept_median is None
        else f"median time to accept {last.accept_median:.1f} business hours"
    )
    return (
        f"{team}, {len(trend)} weeks from {_label(trend[0])}: handoffs opened per week "
        f"{opened}; accepted within the {sla_hours:g}-hour SLA {in_sla}. "
        f"Week of {_label(last)}: {median}."
    )


def render(trend: Sequence[WeekPoint], *, team: str, sla_hours: float) -> Chart:
    """The PNG bytes, their alt text and a file name."""
    fig = figure(trend, team=team, sla_hours=sla_hours)
    text = alt_text(trend, team=team, sla_hours=sla_hours)
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", metadata={"Title": f"{team} weekly trend", "Description": text}
    )
    stamp = f"{trend[-1].week_start:%Y-%m-%d}" if trend else "empty"
    slug = "-".join(team.lower().split()) or "team"
    return Chart(buffer.getvalue(), text, f"dealcoach-{slug}-{stamp}.png")
