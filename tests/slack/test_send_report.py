"""`/coach report`'s sending half against the Slack stand-in: message, card links, chart."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.services import reports
from bot.slack.reports import send_report
from bot.standin import SlackStandIn
from tests.conftest import MANAGER
from tests.reports.fortnight import END, seed, with_checklists


def test_the_report_links_live_cards_and_the_chart_follows(
    session: Session, config: DealCoachConfig
) -> None:
    config = with_checklists(config)
    seeded = seed(session, config)
    with SlackStandIn() as standin:
        client = WebClient(token=standin.bot_token, base_url=standin.api_url)
        card = client.chat_postMessage(channel="U0SE00002", text="Eps card")
        eps = seeded.handoffs["h5"]
        eps.channel_id, eps.message_ts = str(card["channel"]), str(card["ts"])
        session.flush()
        report = reports.build(
            session=session,
            workspace=seeded.workspace,
            team=config.teams[0],
            config=config,
            now=END,
            weeks=1,
        )
        sent = send_report(client, user_id=MANAGER, report=report, tz=ZoneInfo("UTC"), sla_hours=4)
        message, shared = standin.dm_messages(MANAGER)
        assert standin.violations == []
    assert "|Eps>" in str(message.blocks) and "*Acme*" in str(message.blocks)
    assert shared.files is not None and shared.files[0]["id"] == sent.file_id
