"""The README's two-minute tour: a short shell session, played and checked like the demo.

``python -m bot.shell.tour docs/tour.md`` writes its transcript; a test plays it again
and compares, so the recording in the docs always shows what the shell does today.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from bot.shell.demo import Step, _dm_text, _expect, _private_text, play

TOUR: tuple[Step, ...] = (
    Step(
        "Riley (a rep) hands Sam (an SE) a technical problem on a new deal, Acme Corp",
        "riley",
        (
            "/handoff @sam Acme Corp: SSO with Okta fails for our EU users",
            ":press New deal named Acme Corp",
        ),
        lambda bot: _expect("SSO with Okta" in _dm_text(bot, "sam"), "Sam got no handoff card"),
    ),
    Step(
        "Sam accepts it from the card",
        "sam",
        (":press Accept",),
        lambda bot: _expect("accepted" in _dm_text(bot, "riley"), "Riley was not told"),
    ),
    Step(
        "Riley books a demo with Sam in two hours and asks what is scheduled",
        "riley",
        ("/precall Acme Corp in 2h with @sam demo", ":due"),
        lambda bot: _expect(
            "Demo with Acme Corp" in _private_text(bot, "riley"), "Riley saw no confirmation"
        ),
    ),
    Step(
        "Time passes: each tip arrives at its own moment, on each person's clock",
        "riley",
        (":time +2h",),
        lambda bot: _expect(
            "Starts in 30 minutes" in _dm_text(bot, "riley")
            and "Starts in 30 minutes" in _dm_text(bot, "sam"),
            "the tips did not arrive",
        ),
    ),
    Step(
        "Riley walks the deal's checklist: an answer, Next, another, then Save and close",
        "riley",
        ("/qualify Acme Corp", "1", "The CFO set aside budget for Q1", "1", "2", "", ""),
        lambda bot: _expect(
            "1 of 6 confirmed" in _private_text(bot, "riley"), "the answers were not saved"
        ),
    ),
)

HEADER = """\
# The two-minute tour

What `.venv/bin/dealcoach shell` shows for a few lines typed into it (this file is
written by `.venv/bin/python -m bot.shell.tour docs/tour.md`, and a test checks that it
still matches what the shell does). Lines after `name>` are typed; forms are asked field
by field; `[n]` is a button `:press n` presses.

```text
"""


def transcript() -> tuple[int, str]:
    """Play the tour; its exit code and the Markdown transcript."""
    out = io.StringIO()
    code = play(out, scenes=TOUR)
    return code, HEADER + out.getvalue().strip("\n") + "\n```\n"


def main(argv: list[str]) -> int:
    code, text = transcript()
    if code != 0 or len(argv) != 1:
        print(text, end="")
        return code or 2
    Path(argv[0]).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
