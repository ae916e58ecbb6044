"""`/handoff`: hand a technical problem to an SE, list mine, or open the full form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import handoff as handoff_blocks
from bot.deps import Deps
from bot.listeners.handoff_flow import create_handoff
from bot.services import handoffs, people
from bot.services.handoffs import HandoffDraft
from bot.slack import forms
from bot.slack.errors import guarded
from bot.slack.messenger import reply_privately


def register(app: App, deps: Deps) -> None:
    @app.command("/handoff")
    @guarded
    def handoff_command(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        command = body  # a slash command's payload is the whole body
        parsed = forms.parse_handoff(command.get("text") or "")
        if isinstance(parsed, forms.CommandError):
            ack(text=parsed.message)
            return
        if isinstance(parsed, forms.HandoffHelp):
            ack(text=handoff_blocks.HELP_TEXT)
            return
        ack()
        user_id = command["user_id"]
        if isinstance(parsed, forms.ListHandoffs):
            with deps.transaction() as session:
                workspace = people.workspace(
                    session=session, slack_team_id=context["team_id"], now=deps.clock.now()
                )
                person = people.find_person(
                    session=session, workspace=workspace, slack_user_id=user_id
                )
                as_rep, as_se = (
                    handoffs.open_for(session=session, person=person) if person else ([], [])
                )
                text, blocks = handoff_blocks.handoff_list(as_rep, as_se, now=deps.clock.now())
            reply_privately(
                client,
                user_id=user_id,
                response_url=command.get("response_url"),
                text=text,
                blocks=blocks,
            )
            return
        if isinstance(parsed, forms.HandoffForm):
            client.views_open(
                trigger_id=command["trigger_id"],
                view=handoff_blocks.new_handoff_modal(
                    private_metadata={
                        "channel_id": command.get("channel_id", ""),
                        "response_url": command.get("response_url", ""),
                    },
                    deal=parsed.deal,
                    problem=parsed.problem,
                    assignee=parsed.assignee,
                ),
            )
            return
        create_handoff(
            deps,
            client,
            team_id=context["team_id"],
            rep_slack_id=user_id,
            draft=HandoffDraft(
                deal_name=parsed.deal, problem=parsed.problem, assignee_slack_id=parsed.assignee
            ),
            response_url=command.get("response_url"),
        )
