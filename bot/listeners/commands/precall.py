"""`/precall`: schedule a customer call (tips before it, a debrief request after), list, cancel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import precall as precall_blocks
from bot.blocks.common import Blocks
from bot.deps import Deps
from bot.listeners.coaching_flow import zone
from bot.listeners.handoff_flow import actor
from bot.services import calls, tip_history
from bot.services.calls import CallDraft
from bot.slack import call_forms, messenger
from bot.slack.directory import ensure_person
from bot.slack.errors import guarded


def register(app: App, deps: Deps) -> None:
    @app.command("/precall")
    @guarded
    def precall_command(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        command = body  # a slash command's payload is the whole body
        text = command.get("text") or ""
        if text.strip().casefold() in {"", "help", "?"}:
            ack(text=precall_blocks.HELP_TEXT)
            return
        ack()
        user_id = command["user_id"]
        now = deps.clock.now()
        blocks: Blocks | None = None
        heads_up: tuple[str, str, Blocks] | None = None
        with deps.transaction() as session:
            who = actor(deps, session, client, team_id=context["team_id"], user_id=user_id)
            tz = zone(deps, who.person)
            parsed = call_forms.parse_precall(text, now=now, tz=tz)
            if isinstance(parsed, call_forms.CommandError | call_forms.PrecallHelp):
                reply = (
                    parsed.message
                    if isinstance(parsed, call_forms.CommandError)
                    else precall_blocks.HELP_TEXT
                )
            elif isinstance(parsed, call_forms.ListCalls):
                upcoming = calls.upcoming(session=session, person=who.person, now=now)
                reply, blocks = precall_blocks.call_list(upcoming, me=user_id, tz=tz)
            elif isinstance(parsed, call_forms.TipFeedback):
                counts = tip_history.counts(session=session, workspace=who.workspace)
                reply, blocks = precall_blocks.feedback_report(
                    deps.config.tips,
                    {tip_id: (c.helpful, c.not_helpful) for tip_id, c in counts.items()},
                )
            elif isinstance(parsed, call_forms.CancelCall):
                call = calls.get(session=session, workspace=who.workspace, call_id=parsed.call_id)
                calls.cancel(session=session, call=call, actor=who.person, now=now)
                reply = precall_blocks.cancelled(call)
            else:
                se = (
                    ensure_person(
                        session=session,
                        client=client,
                        workspace=who.workspace,
                        slack_user_id=parsed.se,
                        config=deps.config,
                        now=now,
                        field="se",
                    )
                    if parsed.se
                    else None
                )
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
                    call,
                    tz=tz,
                    tips_at=max(now, calls.tips_due_at(call, deps.config)),
                )
                if se is not None:
                    heads_up = (
                        se.slack_user_id,
                        *precall_blocks.se_heads_up(call, tz=zone(deps, se)),
                    )
        messenger.reply_privately(
            client,
            user_id=user_id,
            response_url=command.get("response_url"),
            text=reply,
            blocks=blocks,
        )
        if heads_up is not None:
            messenger.dm(client, *heads_up)
