"""The manager's report and weekly digest, the App Home "Team" section, and the offer to
link a product gap to the same need on other deals. Pure: figures in, Block Kit out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.common import Blocks, clip, escape, mention
from bot.coaching.expert_trap import format_money
from bot.reports.figures import PeriodFigures, Report
from bot.slack.ids import Action

#: People listed by name in "selling time given back"; the rest are summed up.
REPS_SHOWN = 8
SECTION_MAX = 2900


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_MAX)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 2900)}]}


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} h"


def period_words(report: Report, tz: ZoneInfo) -> str:
    """E.g. "week to Tue 8 Dec" or "4 weeks to Tue 8 Dec" (the end is exclusive)."""
    last = (report.current.period.end - timedelta(seconds=1)).astimezone(tz)
    span = "week" if report.weeks == 1 else f"{report.weeks} weeks"
    return f"{span} to {last:%a} {last.day} {last:%b}"


def _was(now: float, before: float) -> str:
    return f"{now:g} (was {before:g})"


def handoff_lines(now: PeriodFigures, before: PeriodFigures) -> str:
    return (
        f"*Handoffs* opened {_was(now.opened, before.opened)} · accepted "
        f"{_was(now.accepted, before.accepted)} · resolved {_was(now.resolved, before.resolved)}"
        f" · declined {_was(now.declined, before.declined)} · reassigned "
        f"{_was(now.reassigned, before.reassigned)}\n"
        f"*Time to accept* (business hours): median {_hours(now.accept_median)} "
        f"(was {_hours(before.accept_median)}) · 90th percentile {_hours(now.accept_p90)} "
        f"(was {_hours(before.accept_p90)})\n"
        f"*SLA misses* {_was(now.sla_misses, before.sla_misses)} · *escalations* "
        f"{_was(now.escalations, before.escalations)}"
    )


def _oldest(report: Report, tz: ZoneInfo, links: Mapping[int, str]) -> str | None:
    if not report.oldest_open:
        return None
    lines = ["*Waiting longest*"]
    for item in report.oldest_open:
        name = escape(item.deal_name)
        link = links.get(item.id)
        deal = f"<{link}|{name}>" if link else f"*{name}*"
        since = item.opened_at.astimezone(tz)
        lines.append(
            f"• {deal} (#{item.id}) with {mention(item.assignee)}, open since "
            f"{since:%a} {since.day} {since:%b}"
        )
    return "\n".join(lines)


def _savings(now: PeriodFigures, before: PeriodFigures) -> str:
    text = (
        f"*Selling time given back* {now.saved_hours:g} h, {format_money(now.saved_dollars)} "
        f"(was {before.saved_hours:g} h, {format_money(before.saved_dollars)})"
    )
    lines = [
        f"• {mention(s.rep)} {s.hours:g} h, {format_money(s.dollars)}"
        for s in now.saved[:REPS_SHOWN]
    ]
    hidden = now.saved[REPS_SHOWN:]
    if hidden:
        lines.append(f"• {len(hidden)} more reps: {format_money(sum(s.dollars for s in hidden))}")
    return "\n".join([text, *lines])


def _coverage(report: Report) -> str:
    coverage, before = report.coverage, report.previous_coverage
    if not coverage.open_deals:
        return "*Qualification* no open deals yet."
    was = dict(before.bands) if before is not None and before.open_deals else {}
    shares = ", ".join(
        f"{share:.0%} {label}" + (f" (was {was[label]:.0%})" if label in was else "")
        for label, share in coverage.bands
    )
    text = f"*Qualification* of {coverage.open_deals} open deals: {shares}"
    if before is not None:
        text += f"\nOpen deals at the end of the period before: {before.open_deals}"
    if coverage.most_common_gap:
        text += (
            f"\nMost often still open: *{escape(coverage.most_common_gap)}* "
            f"({coverage.most_common_gap_deals} deals)"
        )
    return text


def _coaching(now: PeriodFigures, before: PeriodFigures) -> str:
    return (
        f"*Paraphrases* written {_was(now.paraphrases_written, before.paraphrases_written)}, "
        f"confirmed {_was(now.paraphrases_confirmed, before.paraphrases_confirmed)} · "
        f"*pre-call tips* rated helpful {_was(now.tips_helpful, before.tips_helpful)}, "
        f"not helpful {_was(now.tips_not_helpful, before.tips_not_helpful)}"
    )


def _gaps(report: Report) -> str:
    if not report.top_gaps:
        return "*Product gaps* none logged yet: `/coach gap <deal>: <what is missing>`."
    lines = ["*Product gaps by revenue at stake*"]
    for number, gap in enumerate(report.top_gaps, start=1):
        deals = "1 deal" if gap.deals == 1 else f"{gap.deals} deals"
        unknown = (
            f", value unknown for {gap.deals_without_value}" if gap.deals_without_value else ""
        )
        lines.append(
            f"{number}. {escape(gap.title)} ({escape(gap.feature_area)}): "
            f"{format_money(gap.revenue)} across {deals}{unknown}"
        )
    return "\n".join(lines)


def report_message(
    report: Report,
    *,
    tz: ZoneInfo,
    card_links: Mapping[int, str] | None = None,
    chart_note: str | None = None,
) -> tuple[str, Blocks]:
    """The report as one message: the same builder serves `/coach report` and the digest."""
    now, before = report.current, report.previous
    span = period_words(report, tz)
    title = clip(f"{report.team}: {span}", 150)
    blocks: Blocks = [{"type": "header", "text": {"type": "plain_text", "text": title}}]
    if report.missed_weeks:
        weeks = "week" if report.missed_weeks == 1 else f"{report.missed_weeks} weeks"
        blocks.append(
            _context(
                f":information_source: The digest could not go out for the last {weeks}, "
                "so this one covers them too."
            )
        )
    blocks.append(_section(handoff_lines(now, before)))
    oldest = _oldest(report, tz, card_links or {})
    if oldest:
        blocks.append(_section(oldest))
    blocks += [
        {"type": "divider"},
        _section(_savings(now, before)),
        _section(_coverage(report)),
        _section(_coaching(now, before)),
        {"type": "divider"},
        _section(_gaps(report)),
    ]
    if chart_note:
        blocks.append(_context(chart_note))
    text = (
        f"{report.team}, {span}: {now.opened} handoffs opened, median "
        f"{_hours(now.accept_median)} to accept, {now.sla_misses} SLA misses, "
        f"{format_money(now.saved_dollars)} of selling time given back"
    )
    return text, blocks


def team_headline(report: Report, *, tz: ZoneInfo) -> str:
    """The manager's App Home line: the headline figures of the team's report."""
    now = report.current
    return (
        f"*Team {escape(report.team)}*, {period_words(report, tz)}\n"
        f"{now.opened} handoffs opened · median {_hours(now.accept_median)} to accept · "
        f"{now.sla_misses} SLA misses · {format_money(now.saved_dollars)} of selling time "
        f"given back · {len(report.oldest_open)} waiting longest"
    )


def full_report_button(team: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": Action.REPORT_FULL.value,
                "text": {"type": "plain_text", "text": "Full report"},
                "value": clip(team, 2000),
            }
        ],
    }


def team_section(report: Report, *, tz: ZoneInfo) -> Blocks:
    """App Home for a manager: the headline figures and a button to the full report."""
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "Team"}},
        _section(team_headline(report, tz=tz)),
        full_report_button(report.team),
    ]


def link_offer(
    gap_id: int, deal_name: str, offers: Sequence[tuple[int, str, int]]
) -> tuple[str, Blocks]:
    """After logging a gap: "also needed by 3 other deals" with a button per close need.

    ``offers``: (group id, the need's title, how many other deals have it).
    """
    text = f"Logged the product gap on {deal_name}."
    blocks: Blocks = [_section(f":memo: {escape(text)}")]
    for group_id, title, others in offers:
        deals = "1 other deal" if others == 1 else f"{others} other deals"
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": clip(f"Same need? *{escape(title)}* is also needed by {deals}.", 2900),
                },
                "accessory": {
                    "type": "button",
                    "action_id": Action.GAP_LINK.value,
                    "text": {"type": "plain_text", "text": "Link them"},
                    "value": f"{gap_id}:{group_id}",
                },
            }
        )
    return text, blocks
