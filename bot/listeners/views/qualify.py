"""/qualify forms: the checklist (one item, or all), a new deal, a deal's details.

Field problems go back into the form (``response_action="errors"``) before anything
is written; a deal is created only when its form is submitted valid.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import qualification as qualification_blocks
from bot.deps import Deps
from bot.listeners import qualify_flow as flow
from bot.listeners.handoff_flow import actor
from bot.services import qualification
from bot.services.errors import InvalidInput
from bot.slack import messenger
from bot.slack.directory import ensure_person
from bot.slack.errors import guarded
from bot.slack.ids import Callback
from bot.slack.qualify_forms import Mode, deal_errors, metadata, read_answers, read_deal_view


def register(app: App, deps: Deps) -> None:
    @guarded
    def checklist_saved(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        """ "Save and close" on one item, or "Save answers" on the whole list."""
        answers, errors = read_answers(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        flow.save_answers(
            deps,
            client,
            team_id=context["team_id"],
            user_id=body["user"]["id"],
            metadata=metadata(view),
            answers=answers,
        )

    app.view(Callback.QUALIFY_WALK.value)(checklist_saved)
    app.view(Callback.QUALIFY_ALL.value)(checklist_saved)

    @app.view(Callback.QUALIFY_NEW_DEAL.value)
    @guarded
    def new_deal(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        user_id = body["user"]["id"]
        meta = metadata(view)
        draft, errors = read_deal_view(view, name=meta.get("name", ""))
        if errors:
            ack(response_action="errors", errors=errors)
            return
        mode = Mode(meta.get("mode") or Mode.WALK)
        response_url = meta.get("response_url") or None
        framework = meta.get("framework") or None
        try:
            with deps.transaction() as session:
                now = deps.clock.now()
                who = actor(deps, session, client, team_id=context["team_id"], user_id=user_id)
                owner = ensure_person(
                    session=session,
                    client=client,
                    workspace=who.workspace,
                    slack_user_id=draft.owner_slack_id or user_id,
                    config=deps.config,
                    now=now,
                    field="owner",
                )
                deal = qualification.create_deal(
                    session=session,
                    workspace=who.workspace,
                    draft=draft,
                    owner=owner,
                    config=deps.config,
                    now=now,
                )
                if framework:
                    qualification.use_framework(
                        session=session,
                        deal=deal,
                        framework=qualification.pick_framework(framework, deps.config),
                        actor=who.person,
                        config=deps.config,
                        now=now,
                    )
                next_mode = Mode.WALK if mode is Mode.DETAILS else mode
                outcome = flow.for_deal(deps, session, who, deal, next_mode, response_url)
                line = qualification_blocks.deal_saved_line(
                    deal, created=True, today=flow.today_for(deps, who)
                )
        except InvalidInput as exc:
            # Nothing was committed: the whole transaction rolled back.
            ack(response_action="errors", errors=deal_errors(exc.errors, view))
            return
        if isinstance(outcome, flow.OpenView):
            # Straight on to the checklist, in the same modal.
            ack(response_action="update", view=outcome.view)
            line += " Its checklist is open; close it any time, and `/qualify` picks up there."
        else:
            ack()
        messenger.reply_privately(client, user_id=user_id, response_url=response_url, text=line)
        if isinstance(outcome, flow.Reply):
            flow.deliver(
                client, outcome, user_id=user_id, trigger_id=None, response_url=response_url
            )

    @app.view(Callback.QUALIFY_DEAL_DETAILS.value)
    @guarded
    def deal_details(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        user_id = body["user"]["id"]
        meta = metadata(view)
        draft, errors = read_deal_view(view, name="")
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            with deps.transaction() as session:
                now = deps.clock.now()
                who = actor(deps, session, client, team_id=context["team_id"], user_id=user_id)
                deal = qualification.get_deal(
                    session=session, workspace=who.workspace, deal_id=int(meta["deal_id"])
                )
                owner = ensure_person(
                    session=session,
                    client=client,
                    workspace=who.workspace,
                    slack_user_id=draft.owner_slack_id or user_id,
                    config=deps.config,
                    now=now,
                    field="owner",
                )
                qualification.update_deal(
                    session=session,
                    deal=deal,
                    owner=owner,
                    amount=draft.amount,
                    close_date=draft.close_date,
                    config=deps.config,
                    now=now,
                )
                line = qualification_blocks.deal_saved_line(
                    deal, created=False, today=flow.today_for(deps, who)
                )
        except InvalidInput as exc:
            ack(response_action="errors", errors=deal_errors(exc.errors, view))
            return
        ack()
        messenger.reply_privately(
            client, user_id=user_id, response_url=meta.get("response_url") or None, text=line
        )
