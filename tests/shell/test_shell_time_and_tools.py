"""Time in the shell passes like time; :due, :history, :export, :log and completion."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.shell.completion import complete_line
from bot.shell.console import Console, scripted
from bot.shell.harness import LocalBot
from bot.shell.transcript import export_markdown


@pytest.fixture
def local() -> Iterator[LocalBot]:
    with LocalBot(ticking=False) as bot:
        yield bot


def test_a_day_jump_stops_at_every_due_moment_in_order(local: LocalBot) -> None:
    out = io.StringIO()
    console = Console(local, as_name="riley", out=out, ask=scripted([]))
    console.handle("/precall Acme Corp in 3h with @sam demo")  # tips at +2h30, debrief later
    console.handle(":press New deal named Acme Corp")
    console.handle("/handoff Globex: the nightly export times out")  # a nudge hours later
    console.handle(":press New deal named Globex")
    console.handle(":due")
    scheduled = out.getvalue().split("── Scheduled (times are riley's, America/New_York) ──")[1]
    assert "tips before a call (Acme Corp) → riley" in scheduled
    assert "[Mon 06:30] tips before a call (Acme Corp) → sam" in scheduled  # riley's clock
    assert "nudge to accept a handoff (Globex) → sam" in scheduled, scheduled
    start = len(out.getvalue())
    console.handle(":time +1d")
    jump = out.getvalue()[start:]
    stamps = re.findall(
        r"── \[(\w{3} \d\d:\d\d)\] Deal Coach (?:→|updated a message to) (\w+)", jump
    )
    # Each message at its own moment, in the recipient's zone: riley (New York) gets
    # tips at 06:30, sam (Berlin) at 12:30; all of it before the clock line.
    assert ("Mon 06:30", "riley") in stamps and ("Mon 12:30", "sam") in stamps
    assert jump.rindex("Deal Coach") < jump.index("It is Tue 24 Nov 09:00 UTC")
    assert "Starts in 30 minutes" in jump
    console.handle(":due")
    assert (
        "tips before a call"
        not in out.getvalue().split("── Scheduled (times are riley's, America/New_York) ──")[-1]
    )


def test_time_next_jumps_to_the_next_due_item(local: LocalBot) -> None:
    out = io.StringIO()
    console = Console(local, as_name="riley", out=out, ask=scripted([]))
    console.handle(":time next")
    assert "nothing is scheduled" in out.getvalue()
    console.handle("/precall Initech in 2h demo")
    console.handle(":press New deal named Initech")
    console.handle(":time next")
    assert "[Mon 05:30] Deal Coach → riley (DM)" in out.getvalue()
    assert "It is Mon 23 Nov 10:30 UTC" in out.getvalue()


def test_history_export_and_log(local: LocalBot, tmp_path: Path) -> None:
    log = tmp_path / "shell.log"
    log.write_text("first\nsecond\n", encoding="utf-8")
    out = io.StringIO()
    target = tmp_path / "talk.md"
    Console(
        local,
        as_name="riley",
        out=out,
        log_path=log,
        ask=scripted(["/qualify help", ":history", ":log 1", f":export {target}", ":export"]),
    ).run()
    text = out.getvalue()
    assert f"Logs go to {log}" in text
    assert re.search(r"1  \[Mon 04:00\] riley> /qualify help", text)
    assert "second" in text and "first" not in text.split(":log")[-1]
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# Deal Coach shell session")
    assert "**riley** `/qualify help`" in written
    assert "### [Mon 04:00] Deal Coach → riley" in written and "```text" in written
    assert "Say where: :export conversation.md" in text


def test_export_markdown_fences_each_message() -> None:
    text = export_markdown(["riley> /handoff list", "── Deal Coach → riley ──", "a *b*", ""])
    assert text == (
        "# Deal Coach shell session\n\n**riley** `/handoff list`\n\n"
        "### Deal Coach → riley\n\n```text\na *b*\n```\n"
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/qu", ["/qualify"]),
        (":ti", [":time", ":time next"]),
        (":as sa", [":as sam", ":as sasha"]),
        ("/handoff @mo", ["/handoff @morgan"]),
        ("/qualify ac", ["/qualify Acme Corp", "/qualify Acme East"]),
        ("/qualify Acme C", ["/qualify Acme Corp"]),
        ("/qualify Zzz", []),
    ],
)
def test_completion_offers_whole_lines(typed: str, expected: list[str]) -> None:
    found = complete_line(
        typed,
        commands={"/qualify", "/handoff", "/precall"},
        people=["riley", "sam", "sasha", "morgan"],
        deals=["Acme Corp", "Acme East", "Globex"],
    )
    assert found == expected
