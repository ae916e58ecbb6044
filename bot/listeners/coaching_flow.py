"""Steps `/precall`, `/debrief`, their buttons and their modals share."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks import debrief as debrief_blocks
from bot.coaching import paraphrase as reviewer
from bot.db.models import Call, Deal, Paraphrase, Person
from bot.deps import Deps
from bot.listeners.acting import Actor, Caller
from bot.services import calls, handoffs, paraphrases
from bot.services.errors import NotAllowed
from bot.slack import messenger


def zone(deps: Deps, person: Person) -> ZoneInfo:
    """The person's Slack time zone (the team default when their profile has none)."""
    return handoffs.time_zone(person, deps.config)


def open_debrief(
    caller: Caller,
    *,
    trigger_id: str,
    deal_name: str | None = None,
    call_id: int | None = None,
    version_id: int | None = None,
    response_url: str | None = None,
) -> None:
    """Open the debrief modal, filled in with what is known: the deal, its SE, the last version.

    With ``version_id`` it revises that version; with ``call_id`` it debriefs that call.
    Otherwise an unconfirmed latest version of the deal is offered for revising, and a
    confirmed one leaves the text empty for a new call.
    """
    with caller.acting() as (session, who):
        deal, call, version = _subject(session, who, deal_name, call_id, version_id)
        se, text = _prefill(session, caller.now(), deal, call, version)
        view = debrief_blocks.debrief_modal(
            deal=deal.name if deal is not None else deal_name,
            deal_id=deal.id if deal is not None else None,
            text=text,
            se=se.slack_user_id if se is not None else None,
            call_id=call.id if call is not None else (version.call_id if version else None),
            response_url=response_url,
        )
    caller.client.views_open(trigger_id=trigger_id, view=view)


def _subject(
    session: Session,
    who: Actor,
    deal_name: str | None,
    call_id: int | None,
    version_id: int | None,
) -> tuple[Deal | None, Call | None, Paraphrase | None]:
    """The deal a debrief is about, with the call or the version it starts from."""
    if version_id is not None:
        version = paraphrases.get(
            session=session, workspace=who.workspace, paraphrase_id=version_id
        )
        if version.author_id != who.person.id:
            raise NotAllowed("Only the rep who wrote this paraphrase can revise it.")
        return version.deal, None, version
    if call_id is not None:
        call = calls.get(session=session, workspace=who.workspace, call_id=call_id)
        if call.rep_id != who.person.id:
            raise NotAllowed("This debrief belongs to the rep who ran the call.")
        return call.deal, call, None
    if deal_name:
        return (
            paraphrases.find_deal(session=session, workspace=who.workspace, name=deal_name),
            None,
            None,
        )
    return None, None, None


def _prefill(
    session: Session,
    now: datetime,
    deal: Deal | None,
    call: Call | None,
    version: Paraphrase | None,
) -> tuple[Person | None, str | None]:
    """The SE and the text the form opens with."""
    if version is not None:
        return version.se, version.text
    if deal is None:
        return None, None
    se = call.se if call is not None else None
    se = se or calls.se_for_deal(session=session, deal=deal, now=now)
    latest = paraphrases.latest(session=session, deal=deal)
    return se, (latest.text if latest is not None and latest.confirmed_at is None else None)


def review_for(deps: Deps, version: Paraphrase) -> reviewer.Review:
    """The review of a stored version, as the reviewer sees it with today's config."""
    rules = reviewer.Rules.from_config(deps.config.coaching)
    return reviewer.review(version.text, rules, customer=version.deal.name)


def tell_both(client: WebClient, version: Paraphrase, se_slack_id: str) -> None:
    """Once the SE answered: their card shows the verdict, and the rep hears it."""
    if version.channel_id and version.message_ts:
        text, blocks = debrief_blocks.se_card_answered(version, se_slack_id)
        client.chat_update(
            channel=version.channel_id, ts=version.message_ts, text=text, blocks=blocks
        )
    messenger.dm(
        client, version.author.slack_user_id, debrief_blocks.verdict_line(version, se_slack_id)
    )
