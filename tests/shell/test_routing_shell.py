"""Routing in `dealcoach shell`: the sample team's areas and coverage pick the SE, and say why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.shell.harness import LocalBot
from tests.shell.test_console import run


@pytest.fixture
def local() -> Iterator[LocalBot]:
    with LocalBot() as bot:
        yield bot


def test_an_unnamed_handoff_goes_to_the_se_who_covers_its_area(local: LocalBot) -> None:
    output = run(
        local,
        "/handoff Globex: the Snowflake warehouse load fails nightly",
        ":press New deal named Globex",
        ":quit",
    )
    assert "Deal Coach → sasha (DM)" in output
    assert "Routed to you: covers Data warehouse; no open handoffs." in output
    assert "Routed to @sasha: covers Data warehouse" in output


def test_away_ses_are_skipped_and_nobody_free_asks_the_manager(local: LocalBot) -> None:
    run(local, "/coach away until Friday offsite", as_name="sam")
    run(local, "/coach away until Friday conference", as_name="sasha")
    output = run(
        local,
        "/handoff Acme Corp: Okta SSO fails for EU users",
        ":press New deal named Acme Corp",
        ":as morgan",
        ":press sam · away · SSO, API",
    )
    assert "asked @morgan to pick one" in output
    assert "Route this:" in output and "sam · away · SSO, API" in output
    assert "@morgan routed it to @sam" in output
    assert "Deal Coach → sam (DM)" in output
