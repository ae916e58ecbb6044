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
from pathlib import Path
from typing import TextIO

from sqlalchemy import select

from bot.db.models import Deal, Handoff, HandoffState, Paraphrase
from bot.shell.console import Console
from bot.shell.files import default_folder
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


def _tips_for(bot: LocalBot, name: str) -> bool:
    text = _dm_text(bot, name)
    return "Why:" in text and "tip_helpful" in text


def _confirmed_problem(bot: LocalBot, deal: str) -> str | None:
    with bot.session_factory() as session:
        return session.scalars(
            select(Paraphrase.text)
            .join(Deal)
            .where(Deal.name == deal, Paraphrase.confirmed_at.is_not(None))
        ).first()


FIRST_TRY = "No problem, we can fix that with Skyline."
PARAPHRASE = (
    "Finance loses three days every month-end reconciling invoices by hand, and the "
    "auditors arrive in March."
)

#: /precall and /debrief: tips before a call, the customer's problem in the rep's words after.
CALL_SCENES: tuple[Step, ...] = (
    Step(
        "Riley books a demo with Acme Corp in two hours and brings Sam along",
        "riley",
        ("/precall Acme Corp in 2h with @sam demo",),
        lambda bot: _expect(
            "Demo with Acme Corp" in _private_text(bot, "riley")
            and "added you to a demo call" in _dm_text(bot, "sam"),
            "Riley saw no confirmation, or Sam no heads-up",
        ),
    ),
    Step(
        "Half an hour before the call each gets tips for their part, with the deal's open gaps",
        "riley",
        (":time +90m",),
        lambda bot: _expect(
            _tips_for(bot, "riley")
            and _tips_for(bot, "sam")
            and "Open qualification gaps" in _dm_text(bot, "riley"),
            "Riley or Sam got no tips, or the deal's gaps were missing",
        ),
    ),
    Step(
        "Riley finds a tip useful and says so",
        "riley",
        (":press Helpful",),
        lambda bot: _expect(
            "You found this helpful" in _dm_text(bot, "riley"), "the tip DM did not say thanks"
        ),
    ),
    Step(
        "After the call Riley puts the customer's problem into words; the first try pitches",
        "riley",
        (":time +90m", ":press Write the paraphrase", "", FIRST_TRY, ""),
        lambda bot: _expect(
            "scores 0/100" in _dm_text(bot, "riley") and "we can" in _dm_text(bot, "riley"),
            "Riley's first paraphrase was not checked",
        ),
    ),
    Step(
        "Riley revises it and sends it to Sam, who confirms it for the deal",
        "riley",
        (":press Revise", "", PARAPHRASE, "", ":press Send to sam", ":as sam", ":press Confirm"),
        lambda bot: _expect(
            _confirmed_problem(bot, "Acme Corp") == PARAPHRASE
            and "confirmed your paraphrase" in _dm_text(bot, "riley"),
            "the paraphrase is not confirmed on Acme Corp, or Riley was not told",
        ),
    ),
)


def _chart_saved(bot: LocalBot, name: str) -> bool:
    """The chart went into the person's DM and the shell saved it where it can be opened."""
    channel = bot.standin.dm_channel(bot.person(name).slack_id)
    charts = [f for f in bot.standin.uploaded(channel) if f.filename.endswith(".png")]
    folder = default_folder()
    return bool(charts) and all(
        (folder / f"{chart.id}-{Path(chart.filename).name}").is_file() for chart in charts
    )


#: What managers see: a product gap logged on a deal, then the team's report and chart.
MANAGER_SCENES: tuple[Step, ...] = (
    Step(
        "Sam notes what Acme Corp needs and the product lacks: a product gap",
        "sam",
        ("/coach gap Acme Corp: [Security & compliance] SSO with Okta groups (deal-breaker)",),
        lambda bot: _expect(
            "Logged the product gap on Acme Corp" in _private_text(bot, "sam"),
            "Sam's product gap was not logged",
        ),
    ),
    Step(
        "Morgan (SE manager) asks for the team's report: figures, then the chart",
        "morgan",
        ("/coach report",),
        lambda bot: _expect(
            "handoffs opened" in _dm_text(bot, "morgan")
            and "SSO with Okta groups" in _dm_text(bot, "morgan")
            and _chart_saved(bot, "morgan"),
            "Morgan got no report, no product gap in it, or no chart saved",
        ),
    ),
)


def _deal_names(bot: LocalBot) -> set[str]:
    with bot.session_factory() as session:
        return set(session.scalars(select(Deal.name)))


#: One deal, one record: a misspelt name is asked about, a duplicate is merged.
DEAL_SCENES: tuple[Step, ...] = (
    Step(
        "Riley mistypes the deal; Deal Coach asks which she meant and she picks Acme Corp",
        "riley",
        ("/handoff @sam Acme Crop: the SAML certificate expires next week", ":press Acme Corp"),
        lambda bot: _expect(
            "Did you mean" in _private_text(bot, "riley")
            and "Acme Crop" not in _deal_names(bot)
            and _state(bot, "Acme Corp") is HandoffState.OPEN,
            "the handoff did not land on Acme Corp, or a deal 'Acme Crop' was made",
        ),
    ),
    Step(
        "Riley starts a second deal for the same customer, Acme EMEA",
        "riley",
        ("/handoff @sasha Acme EMEA: invoices fail to sync", ":press New deal named Acme EMEA"),
        lambda bot: _expect("Acme EMEA" in _deal_names(bot), "no deal Acme EMEA was created"),
    ),
    Step(
        "Morgan (SE manager) merges Acme EMEA into Acme Corp after seeing what moves",
        "morgan",
        ('/coach merge "Acme EMEA" into "Acme Corp"', ":press Merge"),
        lambda bot: _expect(
            "This moves 1 handoff" in _private_text(bot, "morgan")
            and "Acme EMEA" not in _deal_names(bot)
            and _assignee(bot, "Acme Corp") == bot.person("sasha").slack_id,
            "the merge did not show what moves, or Acme EMEA's handoff is not on Acme Corp",
        ),
    ),
)


SCENES: tuple[Step, ...] = (
    Step(
        "Riley, a rep, hands Sam (an SE) an SSO problem on the Acme Corp deal",
        "riley",
        (
            "/handoff @sam Acme Corp: SSO with Okta fails for our EU users",
            ":press New deal named Acme Corp",
        ),
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
        (
            "/handoff Globex: the nightly export times out after 10,000 rows",
            ":press New deal named Globex",
        ),
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
        "Next morning it is still open: Morgan (SE manager) hears now, Riley once New York wakes",
        "sasha",
        (":time +20h", ":time +5h"),
        lambda bot: _expect(
            "has not been accepted" in _dm_text(bot, "morgan")
            and "hasn't picked up" in _dm_text(bot, "riley"),
            "Morgan or Riley got no escalation",
        ),
    ),
    Step(
        "Morgan reassigns Globex to Sam, who accepts it",
        "morgan",
        (":press Reassign", "1", "", ":as sam", ":press Accept"),
        lambda bot: _expect(
            _assignee(bot, "Globex") == bot.person("sam").slack_id
            and _state(bot, "Globex") is HandoffState.ACCEPTED,
            "Globex is not with Sam, or not accepted",
        ),
    ),
    Step(
        "Riley answers the Acme Corp checklist in one form, then asks what is still open",
        "riley",
        (
            "/qualify Acme Corp all",
            *("yes", "The CFO set aside budget for Q1"),  # deal qualified
            *("unknown", ""),  # economic buyer met
            *("yes", ""),  # business case
            *("no", "No date from them yet"),  # deadlines
            *("unknown", ""),  # pitfalls
            *("yes", ""),  # differentiators
            "/qualify Acme Corp summary",
        ),
        lambda bot: _expect(
            "3 of 6 confirmed" in _private_text(bot, "riley")
            and "who has to agree before this gets signed" in _private_text(bot, "riley"),
            "Riley saw no score or no question for the open items",
        ),
    ),
    *CALL_SCENES,
    *DEAL_SCENES,
    *MANAGER_SCENES,
)


def play(out: TextIO, *, scenes: tuple[Step, ...] = SCENES, socket_mode: bool = False) -> int:
    """Play the scenes; 0 when every check passed, 1 at the first that did not.

    ``socket_mode``: the people reach the bot over Socket Mode instead of HTTP."""
    with LocalBot(socket_mode=socket_mode, ticking=False) as bot:
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
            f"\nAll {len(scenes)} steps behaved as scripted. "
            "Try it yourself: .venv/bin/dealcoach shell"
        )
    return 0


def _answer(console: Console, lines: Iterator[str], prompt: str) -> str:
    """Form questions in a scene are answered by the scene's next line."""
    answer = next(lines)
    console.say(f"{prompt}{answer}")
    return answer
