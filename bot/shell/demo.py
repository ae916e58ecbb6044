"""`dealcoach demo`: a short deal story played through the shell, checked step by step.

Each scene types into the same :class:`~bot.shell.console.Console` a person would use,
so the demo runs the real app, database and sweep with only Slack replaced. It exits 0
when every step behaved as scripted, and names the first step that did not.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import select

from bot.db.models import Deal, Handoff, HandoffState
from bot.shell.console import Console
from bot.shell.harness import LocalBot

Check = Callable[[LocalBot], str | None]
"""Looks at the outcome of a step; returns what went wrong, or ``None``."""


@dataclass(frozen=True)
class Step:
    title: str
    actor: str
    lines: tuple[str, ...]
    check: Check


def _dm_text(bot: LocalBot, name: str, *, threads: bool = False) -> str:
    channel = bot.standin.dm_channel(bot.person(name).slack_id)
    messages = bot.standin.messages(channel)
    if threads:
        messages = messages + [r for m in messages for r in bot.standin.replies(channel, m.ts)]
    return json.dumps([[m.text, m.blocks] for m in messages])


def _private_text(bot: LocalBot, name: str) -> str:
    return json.dumps(
        [[m.text, m.blocks] for m in bot.standin.ephemerals(bot.person(name).slack_id)]
    )


def _state(bot: LocalBot, deal: str) -> HandoffState | None:
    with bot.session_factory() as session:
        return session.scalar(
            select(Handoff.state).join(Deal).where(Deal.name == deal).order_by(Handoff.id.desc())
        )


def _assignee(bot: LocalBot, deal: str) -> str | None:
    with bot.session_factory() as session:
        handoff = session.scalars(
            select(Handoff).join(Deal).where(Deal.name == deal).order_by(Handoff.id.desc())
        ).first()
        return None if handoff is None else handoff.assignee.slack_user_id


def _expect(condition: bool, problem: str) -> str | None:
    return None if condition else problem


SCENES: tuple[Step, ...] = (
    Step(
        "Riley, a rep, hands Sam (an SE) an SSO problem on the Acme Corp deal",
        "riley",
        ("/handoff @sam Acme Corp: SSO with Okta fails for our EU users",),
        lambda bot: _expect(
            "SSO with Okta" in _dm_text(bot, "sam") and "$12,500" in _private_text(bot, "riley"),
            "Sam got no handoff card, or Riley saw no expert-trap figures",
        ),
    ),
    Step(
        "Sam accepts it from the card in the DM",
        "sam",
        (":press Accept",),
        lambda bot: _expect(
            _state(bot, "Acme Corp") is HandoffState.ACCEPTED
            and "accepted" in _dm_text(bot, "riley"),
            "the Acme handoff is not accepted, or Riley was not told",
        ),
    ),
    Step(
        "Riley hands off a second problem without naming anyone: it goes to the next SE, Sasha",
        "riley",
        ("/handoff Globex: the nightly export times out after 10,000 rows",),
        lambda bot: _expect(
            _assignee(bot, "Globex") == bot.person("sasha").slack_id,
            "the Globex handoff was not routed to Sasha",
        ),
    ),
    Step(
        "Four business hours pass without an answer: Sasha gets a gentle nudge",
        "sasha",
        (":time +4h",),
        lambda bot: _expect(
            "gentle nudge" in _dm_text(bot, "sasha", threads=True),
            "no nudge reached Sasha",
        ),
    ),
    Step(
        "Next morning it is still open (8 business hours): Morgan, the SE manager, and Riley hear",
        "sasha",
        (":time +20h",),
        lambda bot: _expect(
            "has not been accepted" in _dm_text(bot, "morgan")
            and "hasn't picked up" in _dm_text(bot, "riley"),
            "Morgan or Riley got no escalation",
        ),
    ),
    Step(
        "Morgan reassigns Globex to Sam, who accepts it",
        "morgan",
        (":press Reassign", "@sam", ":as sam", ":press Accept"),
        lambda bot: _expect(
            _assignee(bot, "Globex") == bot.person("sam").slack_id
            and _state(bot, "Globex") is HandoffState.ACCEPTED,
            "Globex is not with Sam, or not accepted",
        ),
    ),
)


def play(out: TextIO, *, scenes: tuple[Step, ...] = SCENES) -> int:
    """Play the scenes; 0 when every check passed, 1 at the first that did not."""
    with LocalBot() as bot:
        console = Console(bot, as_name=scenes[0].actor, out=out, ask=lambda _prompt: "")
        for number, step in enumerate(scenes, start=1):
            console.say(f"\n▶ {number}. {step.title}")
            lines = iter(step.lines)
            console.ask = functools.partial(_answer, console, lines)
            console.handle(f":as {step.actor}")
            for line in lines:
                console.say(f"{console.me.name}> {line}")
                console.handle(line)
            problem = step.check(bot)
            if problem is not None:
                console.say(
                    f"✗ Step {number} ({step.title}) did not behave as scripted: {problem}."
                )
                return 1
            console.say(f"✓ {step.title}")
        console.say(
            f"\nAll {len(scenes)} steps behaved as scripted. Try it yourself: dealcoach shell"
        )
    return 0


def _answer(console: Console, lines: Iterator[str], prompt: str) -> str:
    """Form questions in a scene are answered by the scene's next line."""
    answer = next(lines)
    console.say(f"{prompt}{answer}")
    return answer
