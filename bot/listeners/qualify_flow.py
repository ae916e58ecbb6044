"""Steps the /qualify command, its buttons and its forms share."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks import qualification as qualification_blocks
from bot.blocks import routing_forms
from bot.blocks.common import Blocks
from bot.coaching import qualification as rules
from bot.coaching.qualification import AnswerInput
from bot.db.models import Deal
from bot.deps import Deps
from bot.domain.standing import Standing
from bot.listeners.acting import Actor, Caller
from bot.services import handoffs, qualification, routing
from bot.services.errors import NotFound
from bot.slack import messenger
from bot.slack.ids import Callback
from bot.slack.metadata import QualifyChecklist, QualifyDealDetails, QualifyNewDeal
from bot.slack.qualify_forms import Mode

log = logging.getLogger("dealcoach.qualify")


@dataclass(frozen=True)
class OpenView:
    view: dict[str, object]


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: Blocks | None = None


Outcome = OpenView | Reply


def today_for(deps: Deps, who: Actor) -> date:
    """Today where the person acting is."""
    return deps.clock.now().astimezone(handoffs.time_zone(who.person, deps.config)).date()


def under(session: Session, deal: Deal, framework: str, deps: Deps) -> Standing:
    """The deal's standing under ``framework`` (the one a form was opened with)."""
    checklist = deps.config.checklists.get(framework)
    if checklist is None:
        raise NotFound(
            f"The {framework!r} checklist is no longer in config/checklists; "
            f"`/qualify {deal.name}` opens the current one."
        )
    answers = qualification.latest(session=session, deal=deal, framework=framework)
    return Standing(deal, checklist, tuple(rules.statuses(checklist, answers)))


def _metadata(standing: Standing, response_url: str | None) -> QualifyChecklist:
    return QualifyChecklist(
        deal_id=standing.deal.id, framework=standing.checklist.key, response_url=response_url
    )


def for_deal(
    deps: Deps, session: Session, who: Actor, deal: Deal, mode: Mode, response_url: str | None
) -> Outcome:
    """What /qualify does for a known deal in each mode."""
    tz = handoffs.time_zone(who.person, deps.config)
    if mode is Mode.DETAILS:
        return OpenView(
            qualification_blocks.deal_modal(
                callback=Callback.QUALIFY_DEAL_DETAILS,
                name=deal.name,
                owner=deal.owner.slack_user_id if deal.owner else who.person.slack_user_id,
                amount=deal.amount,
                close_date=deal.close_date,
                private_metadata=QualifyDealDetails(deal_id=deal.id, response_url=response_url),
                territory=routing_forms.territory_block(
                    routing.territories(deps.config), initial=deal.territory
                ),
            )
        )
    standing = qualification.standing(
        session=session, deal=deal, config=deps.config, asker=who.person.slack_user_id
    )
    if mode is Mode.SUMMARY:
        return Reply(*qualification_blocks.summary(standing, tz=tz, today=today_for(deps, who)))
    metadata = _metadata(standing, response_url)
    if mode is Mode.ALL:
        return OpenView(qualification_blocks.all_modal(standing, tz=tz, private_metadata=metadata))
    return OpenView(
        qualification_blocks.walk_modal(
            standing, rules.start_index(standing.items), tz=tz, private_metadata=metadata
        )
    )


def new_deal(
    name: str, *, mode: Mode, framework: str | None, user_id: str, response_url: str | None
) -> OpenView:
    """The small form that creates a deal /qualify has never heard of."""
    return OpenView(
        qualification_blocks.deal_modal(
            callback=Callback.QUALIFY_NEW_DEAL,
            name=name,
            owner=user_id,
            amount=None,
            close_date=None,
            private_metadata=QualifyNewDeal(
                name=name, mode=mode.value, framework=framework, response_url=response_url
            ),
        )
    )


def deliver(
    client: WebClient,
    outcome: Outcome,
    *,
    user_id: str,
    trigger_id: str | None,
    response_url: str | None,
) -> None:
    if isinstance(outcome, OpenView):
        client.views_open(trigger_id=trigger_id, view=outcome.view)
        return
    messenger.reply_privately(
        client, user_id=user_id, response_url=response_url, text=outcome.text, blocks=outcome.blocks
    )


def open_deal(
    caller: Caller,
    *,
    deal_id: int,
    mode: Mode,
    framework: str | None,
    trigger_id: str | None,
    response_url: str | None,
) -> None:
    """A button named a deal: switch its framework if asked, then act as /qualify would."""
    deps = caller.deps
    chosen = qualification.pick_framework(framework, deps.config) if framework else None
    with caller.acting() as (session, who):
        deal = qualification.get_deal(session=session, workspace=who.workspace, deal_id=deal_id)
        if chosen is not None:
            qualification.use_framework(
                session=session,
                deal=deal,
                framework=chosen,
                actor=who.person,
                config=deps.config,
                now=deps.clock.now(),
            )
        outcome = for_deal(deps, session, who, deal, mode, response_url)
    deliver(
        caller.client,
        outcome,
        user_id=caller.user_id,
        trigger_id=trigger_id,
        response_url=response_url,
    )


def save_answers(
    caller: Caller,
    *,
    metadata: QualifyChecklist,
    answers: Sequence[AnswerInput],
) -> None:
    """Save a closed form's answers, then say privately how the deal stands."""
    deps = caller.deps
    with caller.acting() as (session, who):
        deal = qualification.get_deal(
            session=session, workspace=who.workspace, deal_id=metadata.deal_id
        )
        checklist = under(session, deal, metadata.framework, deps).checklist
        written = qualification.record(
            session=session,
            deal=deal,
            framework=checklist,
            answers=answers,
            actor=who.person,
            config=deps.config,
            now=deps.clock.now(),
        )
        line = qualification_blocks.saved_line(
            under(session, deal, checklist.key, deps), written=len(written)
        )
    messenger.reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=metadata.response_url,
        text=line,
    )


def update_view(client: WebClient, view: dict[str, Any], new_view: dict[str, object]) -> None:
    """Replace an open modal, unless it changed meanwhile (a double click): then leave it."""
    try:
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=new_view)
    except SlackApiError as exc:
        if exc.response.get("error") != "hash_conflict":
            raise
        log.info("the form changed meanwhile; left as it is", extra={"view_id": view["id"]})
