"""The local shell and the demo: the real app, the real database, Slack played locally."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest

from bot.shell.console import Console, scripted
from bot.shell.demo import SCENES, Step, play
from bot.shell.harness import LocalBot


@pytest.fixture(scope="module")
def local() -> Iterator[LocalBot]:
    with LocalBot() as bot:
        yield bot


def run(bot: LocalBot, *lines: str, as_name: str = "riley") -> str:
    out = io.StringIO()
    Console(bot, as_name=as_name, out=out, ask=scripted(lines)).run()
    return out.getvalue()


def test_handoff_round_trip_through_the_shell(local: LocalBot) -> None:
    output = run(
        local,
        "/handoff @sam Acme Corp: SSO with Okta fails for EU users",
        ":press New deal named Acme Corp",
        ":as sam",
        ":press Accept",
        ":thread",
        ":home",
        ":dm riley",
        ":quit",
    )
    assert "Deal Coach → sam (DM)" in output
    assert "[1] New deal named Acme Corp" in output
    assert "[2] Accept" in output and "[3] Ask for detail" in output
    assert "only riley can see this" in output and "$12,500" in output
    assert "@sam accepted handoff" in output
    assert "sam's App Home" in output and "Assigned to you" in output
    assert "DM with riley" in output
    assert "<@" not in output  # mentions read as names


def test_the_full_form_is_asked_field_by_field(local: LocalBot) -> None:
    output = run(
        local,
        "/handoff",
        "Globex",  # deal: typed into the typeahead …
        "1",  # … and "Create “Globex”" picked from the numbered choices
        "",  # problem is required: asked again
        "Nightly export times out after 10k rows",
        "Finance can't close the month",  # business impact
        "",  # tried
        "2020-01-01",  # deadline in the past: refused by the bot, asked again
        "",  # deal value
        "",  # hours
        "",  # product area (guessed from the problem, none here: skipped)
        "@sasha",  # assignee
        "2099-01-01",
        ":quit",
    )
    assert "(this one is required)" in output
    assert "in the past" in output
    assert "Deal Coach → sasha (DM)" in output


def test_bad_input_gets_one_line_and_the_session_goes_on(local: LocalBot) -> None:
    output = run(
        local,
        "hello",
        "/frobnicate",
        ":press 999",
        ":as nobody",
        ":time soon",
        ":jump",
        "/handoff help",
    )
    lines = output.splitlines()
    assert any(line.startswith("Start with /") for line in lines)
    assert any("There is no /frobnicate command" in line for line in lines)
    assert any("There is no button [999]" in line for line in lines)
    assert any("no one called 'nobody'" in line or "no one called nobody" in line for line in lines)
    assert any("+30m, +4h or +2d" in line for line in lines)
    assert any("Unknown meta command :jump" in line for line in lines)
    assert "Hand a technical problem to a sales engineer" in output  # the session went on


def test_time_runs_the_sweep(local: LocalBot) -> None:
    output = run(
        local,
        "/handoff @sasha Initech: SAML assertion expired",
        ":press New deal named Initech",
        ":time +1d",
    )
    assert "It is Tue" in output
    assert "gentle nudge" in output or "things are waiting for you" in output


def test_the_demo_plays_and_passes() -> None:
    out = io.StringIO()
    assert play(out) == 0, out.getvalue()
    assert f"All {len(SCENES)} steps behaved as scripted" in out.getvalue()


def test_the_demo_names_the_step_that_failed() -> None:
    broken = (*SCENES[:1], Step("Sam hears nothing", "sam", (), lambda bot: "no DM arrived"))
    out = io.StringIO()
    assert play(out, scenes=broken) == 1
    assert "✗ Step 2 (Sam hears nothing)" in out.getvalue()


def test_pressing_a_numbered_button_presses_that_one(local: LocalBot) -> None:
    """Several buttons share an action (Helpful under each tip); the number picks one."""
    out = io.StringIO()
    console = Console(local, as_name="riley", out=out, ask=scripted([]))
    console.handle("/precall Initech in 2h with @sam demo")
    console.handle(":press New deal named Initech")
    console.handle(":time +90m")
    riley_tips = out.getvalue().split("Deal Coach → riley (DM) ──")[-1].split("── [")[0]
    helpful = re.findall(r"\[(\d+)\] Helpful", riley_tips)
    assert len(helpful) >= 3, out.getvalue()
    console.handle(f":press {helpful[1]}")
    updated = out.getvalue().split("Deal Coach updated a message to riley")[-1]
    tips = re.split(r"\n(?=\d\. )", updated)
    assert "You found this helpful" not in tips[1]
    assert "You found this helpful" in tips[2]


def test_the_shell_and_the_demo_run_over_socket_mode() -> None:
    """`dealcoach shell --socket` and `demo --socket`: the path without a public URL."""
    with LocalBot(socket_mode=True) as bot:
        output = run(
            bot,
            "/handoff",
            "Acme Corp",
            "1",  # the typeahead's first choice
            "Nightly export times out",
            *[""] * 6,  # impact, tried, deadline, value, hours, product area
            "@sam",
            ":as sam",
            ":press Accept",
            ":home",
        )
        kinds = {e.type for e in bot.standin.socket_mode.envelopes}
        assert bot.standin.violations == []
    assert "local shell over Socket Mode" in output
    assert "@sam accepted handoff" in output and "Assigned to you" in output
    assert kinds == {"slash_commands", "interactive", "events_api"}
    out = io.StringIO()
    assert play(out, socket_mode=True) == 0, out.getvalue()
