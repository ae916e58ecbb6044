"""Sending a manager their team's report: the message (with links to the cards waiting
longest), then the weekly chart into the same DM."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.blocks import report as report_blocks
from bot.reports import chart
from bot.reports.figures import Report
from bot.slack import uploads
from bot.slack.permalinks import card_links

CHART_NOTE = ":bar_chart: The weekly trend follows as a chart."


def send_report(
    client: WebClient, *, user_id: str, report: Report, tz: ZoneInfo, sla_hours: float
) -> uploads.SentFile:
    """DM the report to ``user_id`` and upload its chart after it; returns the chart file."""
    links = card_links(client, report.oldest_open)
    text, blocks = report_blocks.report_message(
        report, tz=tz, card_links=links, chart_note=CHART_NOTE
    )
    client.chat_postMessage(channel=user_id, text=text, blocks=blocks, unfurl_links=False)
    made = chart.render(report.trend, team=report.team, sla_hours=sla_hours)
    return uploads.send_to_dm(
        client,
        user_id=user_id,
        data=made.png,
        filename=made.file_name,
        title=made.file_name.removesuffix(".png"),
        alt_text=made.alt_text,
    )
