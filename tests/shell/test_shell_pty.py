"""`dealcoach shell` driven through a pseudo-terminal, as a person types into it:
line editing, Tab, Ctrl-C and the clock all go through the real terminal path."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator

import pytest

pexpect = pytest.importorskip("pexpect")

PROMPT = "riley> "
TIMEOUT = 60  # generous: the machine is shared; a passing run takes seconds


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pexpect.spawn]:
    """One shell as riley for this module (it takes a few seconds to start), with a demo
    call on Acme Corp in five hours: the deal exists and a tip is due inside the next
    day. Each test leaves it at the prompt."""
    tmp_path = tmp_path_factory.mktemp("shell")
    env = {**os.environ, "TERM": "xterm", "INPUTRC": os.devnull, "PYTHONUNBUFFERED": "1"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot.cli", "shell"],
        cwd=str(tmp_path),  # no .env of the developer's
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 200),
        # Ctrl-C as a terminal gives it, even when the suite itself runs with SIGINT
        # ignored (a job started in the background by a shell without job control is)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect("Logs go to (\\S+) ")
    child.expect_exact(PROMPT)
    child.sendline("/precall Acme Corp in 5h with @sam demo")
    child.expect_exact("New deal named Acme Corp")
    child.expect_exact(PROMPT)
    child.sendline(":press New deal named Acme Corp")
    child.expect_exact("Scheduled: Demo with Acme Corp")
    child.expect_exact(PROMPT)
    yield child
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_qualify_walked_with_back_and_next_from_the_form(shell: pexpect.spawn) -> None:
    shell.sendline("/qualify Acme Corp")
    shell.expect_exact("Form: Qualify a deal")
    shell.expect_exact("item 1 of")
    shell.expect_exact("Ask: “")  # the question to ask the customer
    shell.expect_exact("hint: Who said what")
    shell.expect_exact("[1] Next")
    shell.expect_exact("(optional): ")
    shell.sendline("1")  # Yes
    shell.expect_exact("Evidence (optional): ")
    shell.sendline("The CFO set aside budget on our Monday call")
    shell.expect_exact("or press 1 Next: ")
    shell.sendline("1")
    shell.expect_exact("(pressed Next)")
    shell.expect_exact("item 2 of")
    shell.expect_exact("[1] Back   [2] Next")
    shell.expect_exact("(optional): ")
    shell.sendline(":press Back")  # straight from a field
    shell.expect_exact("(pressed Back)")
    shell.expect_exact("item 1 of")
    shell.expect_exact("now: The CFO set aside budget")  # the saved answer came back
    shell.expect_exact("[Yes]: ")
    shell.sendline("")
    shell.expect_exact("]: ")
    shell.sendline("")
    shell.expect_exact("or press 1 Next: ")
    shell.sendline("")  # Enter: Save and close
    shell.expect_exact("(Save and close sent)")
    shell.expect_exact("1 of 6 confirmed")
    shell.expect_exact(PROMPT)


def test_ctrl_c_in_a_form_closes_the_form_and_keeps_the_shell(shell: pexpect.spawn) -> None:
    shell.sendline("/qualify Acme Corp")
    shell.expect_exact("Form: Qualify a deal")
    shell.expect_exact("(optional): ")
    shell.sendintr()
    shell.expect_exact("(form closed; what you typed in it was not sent)")
    shell.expect_exact(PROMPT)
    shell.sendline(":time")
    shell.expect_exact("It is ")
    shell.expect_exact(PROMPT)


def test_tab_completes_a_deal_name(shell: pexpect.spawn) -> None:
    shell.send("/qualify Ac")
    shell.send("\t")
    shell.expect_exact("me Corp")
    shell.sendline(" summary")
    shell.expect_exact("Acme Corp: qualification")
    shell.expect_exact(PROMPT)


def test_a_tip_arrives_at_its_own_time_inside_a_day_jump(shell: pexpect.spawn) -> None:
    # The call starts at 09:00 riley's time (Mon 04:00 now); tips come 30 minutes before.
    shell.sendline(":time +1d")
    shell.expect_exact("[Mon 08:30] Deal Coach → riley (DM)")
    shell.expect_exact("Starts in 30 minutes")
    shell.expect_exact("It is Tue 24 Nov")  # the jump ends after the tip, not before it
    shell.expect_exact(PROMPT)
    assert '{"' not in shell.before  # no JSON log line in the conversation
    shell.sendline(":log")
    shell.expect("The last \\d+ line\\(s\\) of ")
    shell.expect_exact(PROMPT)
