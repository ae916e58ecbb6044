"""`/precall`: schedule a customer call (tips before it, a debrief request after), list, cancel."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import precall as precall_blocks
from bot.blocks.common import Blocks
from bot.listeners.acting import Actor, Caller
from bot.listeners.coaching_flow import zone
from bot.listeners.wiring import wire
from bot.services import calls, tip_history
from bot.services.calls import CallDraft
from bot.slack import call_forms, messenger

Answer = tuple[str, Blocks | None]


def precall_command(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    command = body  # a slash command's payload is the whole body
    text = command.get("text") or ""
    if text.strip().casefold() in {"", "help", "?"}:
        ack(text=precall_blocks.HELP_TEXT)
        return
    ack()
    heads_up: tuple[str, str, Blocks] | None = None
    with caller.acting() as (session, who):
        tz = zone(caller.deps, who.person)
        parsed = call_forms.parse_precall(text, now=caller.now(), tz=tz)
        if not isinstance(parsed, call_forms.ScheduleCall):
            reply, blocks = _answer(caller, session, who, parsed, tz)
    if isinstance(parsed, call_forms.ScheduleCall):
        reply, blocks, heads_up = schedule(caller, parsed, tz)
    messenger.reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=command.get("response_url"),
        text=reply,
        blocks=blocks,
    )
    if heads_up is not None:
        messenger.dm(caller.client, *heads_up)


def _answer(
    caller: Caller, session: Session, who: Actor, parsed: call_forms.PrecallCommand, tz: ZoneInfo
) -> Answer:
    """Everything but scheduling: help, a parse error, the list, tip feedback, a cancel."""
    if isinstance(parsed, call_forms.CommandError):
        return parsed.message, None
    if isinstance(parsed, call_forms.ListCalls):
        upcoming = calls.upcoming(session=session, person=who.person, now=caller.now())
        return precall_blocks.call_list(upcoming, me=caller.user_id, tz=tz)
    if isinstance(parsed, call_forms.TipFeedback):
        counts = tip_history.counts(session=session, workspace=who.workspace)
        return precall_blocks.feedback_report(
            caller.deps.config.tips,
            {tip_id: (c.helpful, c.not_helpful) for tip_id, c in counts.items()},
        )
    if isinstance(parsed, call_forms.CancelCall):
        call = calls.get(session=session, workspace=who.workspace, call_id=parsed.call_id)
        calls.cancel(session=session, call=call, actor=who.person, now=caller.now())
        return precall_blocks.cancelled(call), None
    return precall_blocks.HELP_TEXT, None


def schedule(
    caller: Caller, parsed: call_forms.ScheduleCall, tz: ZoneInfo
) -> tuple[str, Blocks | None, tuple[str, str, Blocks] | None]:
    """Schedule the call (the SE's profile fetched before the transaction opens)."""
    deps, now = caller.deps, caller.now()
    profiles = caller.profiles({parsed.se: "se"} if parsed.se else None)
    with caller.acting(profiles) as (session, who):
        se = caller.person(session, who.workspace, parsed.se, profiles) if parsed.se else None
        call = calls.schedule(
            session=session,
            workspace=who.workspace,
            rep=who.person,
            se=se,
            draft=CallDraft(
                deal_name=parsed.deal,
                starts_at=parsed.starts_at,
                call_type=parsed.call_type,
                se_slack_id=parsed.se,
            ),
            config=deps.config,
            now=now,
        )
        reply, blocks = precall_blocks.confirmation(
            call, tz=tz, tips_at=max(now, calls.tips_due_at(call, deps.config))
        )
        heads_up = (
            (se.slack_user_id, *precall_blocks.se_heads_up(call, tz=zone(deps, se)))
            if se is not None
            else None
        )
    return reply, blocks, heads_up


def register(app: App) -> None:
    wire(app.command, "/precall", handler=precall_command)
