"""The shell's typeahead: what is typed goes to the app's options load over HTTP, and the
options come back as numbered choices. The app here is the small Bolt app of
tests/standin/test_options_load.py (the real one gets its options listener with issue 10's
wiring), served beside the local bot's stand-in."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack
from sqlalchemy import Engine

from bot.blocks import deals as deal_blocks
from bot.config import DealCoachConfig
from bot.db.session import SessionFactory
from bot.shell.console import Console, scripted
from bot.shell.harness import LocalBot
from bot.standin.driver import SlackDriver
from bot.standin.store import StoredView
from bot.web import BackgroundServer, wsgi_app
from tests.standin.test_options_load import SECRET, modal, seed, typeahead_app


@pytest.fixture
def shell(
    session_factory: SessionFactory, engine: Engine, config: DealCoachConfig
) -> Iterator[tuple[LocalBot, list[dict[str, Any]]]]:
    submitted: list[dict[str, Any]] = []
    with LocalBot() as local:
        app = typeahead_app(session_factory, local.standin)

        @app.view("handoff_new")
        def saved(ack: Ack, view: dict[str, Any]) -> None:
            submitted.append(view["state"]["values"])
            ack()

        server = BackgroundServer(wsgi_app(app, engine, signing_secret=SECRET)).start()
        try:
            local.slack = SlackDriver(
                local.standin, events_url=f"{server.url}/slack/events", signing_secret=SECRET
            )
            seed(
                session_factory,
                config,
                local.standin.workspace.team_id,
                ["Acme Corp", "Acme East", "Globex"],
            )
            yield local, submitted
        finally:
            server.stop()


def test_the_shell_offers_options_as_numbered_choices(
    shell: tuple[LocalBot, list[dict[str, Any]]],
) -> None:
    local, submitted = shell
    out = io.StringIO()
    console = Console(
        local, as_name="riley", out=out, ask=scripted(["zzz", "", "acme", "2", ":quit"])
    )
    view: StoredView = modal(deal_blocks.deal_field())
    console.fill(view)
    output = out.getvalue()
    assert "1. Acme East" in output and "2. Acme Corp" in output and "3. Create “acme”" in output
    assert submitted[0]["deal"]["deal"]["selected_option"]["value"].startswith("deal:")
    chosen = deal_blocks.read_choice(submitted[0]["deal"]["deal"]["selected_option"]["value"])
    assert chosen is not None and chosen.deal_id is not None
