"""`/precall`: schedule a customer call (tips before it, a debrief request after), list, cancel."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import precall as precall_blocks
from bot.blocks.common import Blocks
from bot.domain.enums import CallType
from bot.listeners import deal_choice
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
        parsed = call_forms.parse_precall(
            text, now=caller.now(), tz=tz, date_order=caller.deps.config.locale.date_order
        )
        if not isinstance(parsed, call_forms.ScheduleCall):
            reply, blocks = _answer(caller, session, who, parsed, tz)
    response_url = command.get("response_url")
    if isinstance(parsed, call_forms.ScheduleCall):
        deal_name = deal_choice.settle(
            caller, parsed.deal, pending=pending(parsed), response_url=response_url
        )
        if deal_name is None:
            return
        reply, blocks, heads_up = schedule(caller, replace(parsed, deal=deal_name), tz)
    messenger.reply_privately(
        caller.client, user_id=caller.user_id, response_url=response_url, text=reply, blocks=blocks
    )
    if heads_up is not None:
        messenger.dm(caller.client, *heads_up)


def pending(parsed: call_forms.ScheduleCall) -> dict[str, Any]:
    """The call, as read, for the "did you mean" buttons to carry (the time as read now)."""
    return {
        deal_choice.COMMAND: "precall",
        "at": parsed.starts_at.isoformat(),
        "type": parsed.call_type.value,
        "se": parsed.se,
        "notes": list(parsed.notes),
    }


def resume(
    caller: Caller, choice: dict[str, Any], *, deal_name: str, response_url: str | None
) -> None:
    """Schedule the call the buttons carried, for the deal the person picked."""
    parsed = call_forms.ScheduleCall(
        deal=deal_name,
        starts_at=datetime.fromisoformat(choice["at"]),
        call_type=CallType(choice["type"]),
        se=choice.get("se"),
        notes=tuple(choice.get("notes") or ()),
    )
    with caller.acting() as (_session, who):
        tz = zone(caller.deps, who.person)
    reply, blocks, heads_up = schedule(caller, parsed, tz)
    messenger.reply_privately(
        caller.client, user_id=caller.user_id, response_url=response_url, text=reply, blocks=blocks
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
        reply, blocks = _with_notes(
            *precall_blocks.confirmation(
                call, tz=tz, tips_at=max(now, calls.tips_due_at(call, deps.config))
            ),
            parsed.notes,
        )
        heads_up = (
            (se.slack_user_id, *precall_blocks.se_heads_up(call, tz=zone(deps, se)))
            if se is not None
            else None
        )
    return reply, blocks, heads_up


def _with_notes(reply: str, blocks: Blocks, notes: tuple[str, ...]) -> tuple[str, Blocks]:
    """Say back how an ambiguous time was read (e.g. "11/26 read as 26 November")."""
    if not notes:
        return reply, blocks
    said = " ".join(notes)
    note_block = {"type": "context", "elements": [{"type": "mrkdwn", "text": said}]}
    return f"{reply} {said}", [*blocks, note_block]


def register(app: App) -> None:
    wire(app.command, "/precall", handler=precall_command)
