"""A request that fails part-way leaves nothing behind, in any table, on either database.

The handoff's rows (workspace, people, deal, handoff, its events) are written in one
transaction, some of them inside SAVEPOINTs; when Slack refuses the SE's card or the
database refuses a value, the whole transaction rolls back and the rep is told so.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.base import Base
from tests.conftest import REP, SE1, SE2
from tests.e2e.conftest import Bot

pytestmark = pytest.mark.usefixtures("known_deals")

QUICK = f"<@{SE1}|sam> Acme Corp: SSO with Okta fails for EU users"


def rows_by_table(bot: Bot) -> dict[str, int]:
    """Rows in every table but ``seen_request`` (the replay guard notes each request's
    trigger_id in its own transaction, before any listener runs)."""
    with bot.session_factory() as session:
        counts = {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
            if table.name != "seen_request"
        }
    return {name: count for name, count in counts.items() if count}


def test_slack_refusing_the_se_card_leaves_no_row_in_any_table(bot: Bot) -> None:
    before = rows_by_table(bot)  # the workspace and its known deals
    bot.standin.fail_next("chat.postMessage", status=500, times=3)
    reply = bot.slack.command(REP, QUICK)
    assert reply.status == 200
    bot.settle()
    assert len(bot.standin.calls_to("chat.postMessage")) == 3  # Slack refused every try
    assert "nothing was saved" in bot.standin.responses[-1].payload["text"]
    assert rows_by_table(bot) == before


def test_an_overflowing_deal_value_leaves_no_row_in_any_table(bot: Bot) -> None:
    before = rows_by_table(bot)
    bot.slack.command(REP, "Acme Corp")
    bot.settle()
    (view,) = bot.standin.views.values()
    reply = bot.slack.submit(
        REP,
        view,
        {
            "problem": "Nightly export times out after 10k rows",
            "deal_value": str(2**64),
            "assignee": SE2,
        },
    )
    bot.settle()
    # The amount is read strictly now: the form answers with the field's error, nobody
    # else hears of it, and nothing of the handoff is written.
    assert reply.status == 200 and "deal_value" in reply.json()["errors"]
    assert bot.standin.calls_to("chat.postMessage") == []
    after = rows_by_table(bot)
    assert "handoff" not in after and after["deal"] == before["deal"]
