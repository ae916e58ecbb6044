"""A request that fails part-way leaves nothing behind, in any table, on either database.

The handoff's rows (workspace, people, deal, handoff, its events) are written in one
transaction, some of them inside SAVEPOINTs; when Slack refuses the SE's card or the
database refuses a value, the whole transaction rolls back and the rep is told so.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.base import Base
from tests.conftest import REP, SE1, SE2
from tests.e2e.conftest import Bot

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
    bot.standin.fail_next("chat.postMessage", status=500, times=3)
    reply = bot.slack.command(REP, QUICK)
    assert reply.status == 200
    bot.settle()
    assert len(bot.standin.calls_to("chat.postMessage")) == 3  # Slack refused every try
    assert "nothing was saved" in bot.standin.responses[-1].payload["text"]
    assert rows_by_table(bot) == {}


def test_an_overflowing_deal_value_leaves_no_row_in_any_table(bot: Bot) -> None:
    bot.slack.command(REP, "Acme Corp")
    bot.settle()
    (view,) = bot.standin.views.values()
    bot.slack.submit(
        REP,
        view,
        {
            "problem": "Nightly export times out after 10k rows",
            "deal_value": str(2**64),
            "assignee": SE2,
        },
    )
    bot.settle()
    (told,) = bot.standin.calls_to("chat.postMessage")  # only the rep hears of it
    assert told.args["channel"] == REP and "nothing was saved" in told.args["text"]
    # The form's check step records who the rep is in its own, earlier transaction;
    # the handoff's transaction (deal, handoff, events, the SE) leaves nothing.
    assert rows_by_table(bot) == {"workspace": 1, "person": 1}
