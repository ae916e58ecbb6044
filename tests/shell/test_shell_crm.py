"""`dealcoach shell --crm hubspot`: deals come from a seeded HubSpot stand-in."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from bot.db.models import Deal
from bot.shell.console import Console, scripted
from bot.shell.harness import LocalBot


def test_the_shell_with_hubspot_offers_synced_deals_and_writes_back() -> None:
    with LocalBot(crm="hubspot") as bot:
        with bot.session_factory() as session:
            deals = {deal.name: deal for deal in session.scalars(select(Deal))}
            assert {"Acme Corp", "Globex", "Stark Industries"} <= set(deals)
            acme = deals["Acme Corp"]
            assert acme.owner is not None
            assert acme.owner.slack_user_id == bot.person("riley").slack_id
            assert acme.crm_url and acme.crm_url.startswith("https://app.hubspot.com/")
            assert deals["Stark Industries"].crm_status == "won"
        out = io.StringIO()
        lines = ["/handoff @sam Acme Corp: SSO with Okta fails for EU users", ":quit"]
        Console(bot, as_name="riley", out=out, ask=scripted(lines)).run()
        assert "Open in HubSpot" in out.getvalue()
        bot.advance(timedelta(minutes=1))
        assert bot._crm is not None
        notes = bot._crm.standin.notes
        assert len(notes) == 1 and "SSO with Okta" in notes[0].properties["hs_note_body"]
