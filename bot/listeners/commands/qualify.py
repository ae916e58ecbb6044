"""`/qualify`: walk a deal's checklist, fill it in at once, see its gaps, or add the deal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import qualification as qualification_blocks
from bot.blocks.common import escape
from bot.config import Checklist
from bot.listeners import qualify_flow as flow
from bot.listeners.acting import Actor, Caller
from bot.listeners.wiring import wire
from bot.services import qualification
from bot.slack.qualify_forms import CommandError, Mode, Qualify, QualifyHelp, parse_qualify


def qualify_command(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    command = body  # a slash command's payload is the whole body
    parsed = parse_qualify(command.get("text") or "")
    if isinstance(parsed, CommandError):
        ack(text=parsed.message)
        return
    if isinstance(parsed, QualifyHelp):
        ack(text=qualification_blocks.HELP_TEXT)
        return
    ack()
    response_url = command.get("response_url")
    # An unknown framework is refused before anything is looked up or written.
    chosen = (
        qualification.pick_framework(parsed.framework, caller.deps.config)
        if parsed.framework
        else None
    )
    with caller.acting() as (session, who):
        outcome = _outcome(caller, session, who, parsed, chosen, response_url)
    flow.deliver(
        caller.client,
        outcome,
        user_id=caller.user_id,
        trigger_id=command.get("trigger_id"),
        response_url=response_url,
    )


def _outcome(
    caller: Caller,
    session: Session,
    who: Actor,
    parsed: Qualify,
    chosen: Checklist | None,
    response_url: str | None,
) -> flow.Outcome:
    """The deal's checklist or summary, a "did you mean", or the new-deal form."""
    deps = caller.deps
    lookup = qualification.find_deal(session=session, workspace=who.workspace, name=parsed.deal)
    if lookup.deal is not None:
        if chosen is not None:
            qualification.use_framework(
                session=session,
                deal=lookup.deal,
                framework=chosen,
                actor=who.person,
                config=deps.config,
                now=caller.now(),
            )
        return flow.for_deal(deps, session, who, lookup.deal, parsed.mode, response_url)
    if lookup.suggestions:
        return flow.Reply(
            *qualification_blocks.did_you_mean(
                parsed.deal,
                lookup.suggestions,
                mode=parsed.mode.value,
                today=flow.today_for(deps, who),
                framework=chosen.key if chosen else None,
            )
        )
    if parsed.mode is Mode.SUMMARY:
        name = escape(parsed.deal)
        return flow.Reply(
            f"I don't have a deal called {name} yet. `/qualify {name}` adds it and "
            "walks you through its checklist."
        )
    return flow.new_deal(
        parsed.deal,
        mode=parsed.mode,
        framework=chosen.key if chosen else None,
        user_id=caller.user_id,
        response_url=response_url,
    )


def register(app: App) -> None:
    wire(app.command, "/qualify", handler=qualify_command)
