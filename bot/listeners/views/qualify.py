"""/qualify forms: the checklist (one item, or all), a new deal, a deal's details.

Field problems go back into the form (``response_action="errors"``) before anything
is written; a deal is created only when its form is submitted valid.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import qualification as qualification_blocks
from bot.listeners import qualify_flow as flow
from bot.listeners.acting import Caller
from bot.listeners.commands.coach_merge import may_merge
from bot.listeners.wiring import wire
from bot.services import deal_merge, deals, qualification, routing
from bot.services.errors import InvalidInput
from bot.services.qualification import DealDraft
from bot.slack import forms, messenger
from bot.slack.ids import Callback, Field
from bot.slack.metadata import QualifyChecklist, QualifyDealDetails, QualifyNewDeal
from bot.slack.qualify_forms import Mode, deal_errors, read_answers, read_deal_view


def checklist_saved(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    """ "Save and close" on one item, or "Save answers" on the whole list."""
    answers, errors = read_answers(view)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    flow.save_answers(caller, metadata=QualifyChecklist.of(view), answers=answers)


def new_deal(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    meta = QualifyNewDeal.of(view)
    draft, errors = read_deal_view(
        view, name=meta.name, currency=caller.deps.config.locale.currency
    )
    if errors:
        ack(response_action="errors", errors=errors)
        return
    response_url = meta.response_url
    try:
        line, outcome = _create_deal(
            caller,
            draft,
            mode=Mode(meta.mode or Mode.WALK),
            framework=meta.framework,
            response_url=response_url,
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
    messenger.reply_privately(
        caller.client, user_id=caller.user_id, response_url=response_url, text=line
    )
    if isinstance(outcome, flow.Reply):
        flow.deliver(
            caller.client,
            outcome,
            user_id=caller.user_id,
            trigger_id=None,
            response_url=response_url,
        )


def _create_deal(
    caller: Caller,
    draft: DealDraft,
    *,
    mode: Mode,
    framework: str | None,
    response_url: str | None,
) -> tuple[str, flow.Outcome]:
    """Create the deal (and pick its framework); the saved line and what comes next."""
    deps, now = caller.deps, caller.now()
    owner_id = draft.owner_slack_id or caller.user_id
    profiles = caller.profiles({owner_id: "owner"})
    with caller.acting(profiles) as (session, who):
        deal = qualification.create_deal(
            session=session,
            workspace=who.workspace,
            draft=draft,
            owner=caller.person(session, who.workspace, owner_id, profiles),
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
    return line, outcome


RENAME_REFUSED = (
    "Only the deal's owner or an SE manager can rename a deal. Put the name back as it "
    "was to save the rest, and ask one of them to rename it."
)


def deal_details(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    meta = QualifyDealDetails.of(view)
    draft, errors = read_deal_view(view, name="", currency=caller.deps.config.locale.currency)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    deps, now = caller.deps, caller.now()
    owner_id = draft.owner_slack_id or caller.user_id
    try:
        profiles = caller.profiles({owner_id: "owner"})
        with caller.acting(profiles) as (session, who):
            deal = qualification.get_deal(
                session=session, workspace=who.workspace, deal_id=meta.deal_id
            )
            if draft.name and deals.clean_name(draft.name) != deal.name:
                if deal.owner_id != who.person.id and not may_merge(caller.user_id, deps.config):
                    raise InvalidInput({"name": RENAME_REFUSED})
                deal_merge.rename(
                    session=session, deal=deal, new_name=draft.name, actor=who.person, now=now
                )
            qualification.update_deal(
                session=session,
                deal=deal,
                owner=caller.person(session, who.workspace, owner_id, profiles),
                amount=draft.amount,
                close_date=draft.close_date,
                config=deps.config,
                now=now,
            )
            if Field.DEAL_TERRITORY.value in view["state"]["values"]:
                routing.set_territory(
                    deal=deal,
                    territory=forms.option_value(view["state"]["values"], Field.DEAL_TERRITORY),
                    config=deps.config,
                )
            line = qualification_blocks.deal_saved_line(
                deal, created=False, today=flow.today_for(deps, who)
            )
    except InvalidInput as exc:
        ack(response_action="errors", errors=deal_errors(exc.errors, view))
        return
    ack()
    messenger.reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=meta.response_url,
        text=line,
    )


def register(app: App) -> None:
    wire(app.view, Callback.QUALIFY_WALK, Callback.QUALIFY_ALL, handler=checklist_saved)
    wire(app.view, Callback.QUALIFY_NEW_DEAL, handler=new_deal)
    wire(app.view, Callback.QUALIFY_DEAL_DETAILS, handler=deal_details)
