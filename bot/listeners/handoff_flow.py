"""Steps the /handoff command, its buttons and its modals share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks import handoff as handoff_blocks
from bot.db.models import Handoff, Person, Workspace
from bot.deps import Deps
from bot.services import handoffs, people
from bot.services.handoffs import HandoffDraft
from bot.slack import messenger
from bot.slack.directory import ensure_person


@dataclass(frozen=True)
class Actor:
    """Who is acting, and where: resolved inside the caller's transaction."""

    workspace: Workspace
    person: Person


def actor(deps: Deps, session: Session, client: WebClient, *, team_id: str, user_id: str) -> Actor:
    workspace = people.workspace(session=session, slack_team_id=team_id, now=deps.clock.now())
    person = ensure_person(
        session=session,
        client=client,
        workspace=workspace,
        slack_user_id=user_id,
        config=deps.config,
        now=deps.clock.now(),
        field="rep",
    )
    return Actor(workspace, person)


def create_handoff(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    rep_slack_id: str,
    draft: HandoffDraft,
    response_url: str | None,
) -> None:
    """Write the handoff and DM the SE its card in one transaction, then confirm to the rep.

    The card is posted before the commit: if Slack refuses it, nothing is saved.
    """
    now = deps.clock.now()
    with deps.transaction() as session:
        who = actor(deps, session, client, team_id=team_id, user_id=rep_slack_id)
        assignee_id = draft.assignee_slack_id or handoffs.route(
            session=session,
            workspace=who.workspace,
            rep_slack_id=rep_slack_id,
            config=deps.config,
        )
        assignee = ensure_person(
            session=session,
            client=client,
            workspace=who.workspace,
            slack_user_id=assignee_id,
            config=deps.config,
            now=now,
        )
        handoff = handoffs.open(
            session=session,
            workspace=who.workspace,
            rep=who.person,
            assignee=assignee,
            draft=draft,
            config=deps.config,
            now=now,
        )
        messenger.post_card(client, handoff, messenger.card_context(session, handoff, deps.config))
        text, blocks = handoff_blocks.rep_confirmation(handoff, handoffs.trap(handoff, deps.config))
    messenger.reply_privately(
        client, user_id=rep_slack_id, response_url=response_url, text=text, blocks=blocks
    )


Change = Callable[[Session, Handoff, Person], object]


def change_handoff(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    handoff_id: int,
    change: Change,
    done: str | None,
) -> Handoff:
    """Apply one change as ``user_id``, then redraw the card.

    With ``done`` (a past-tense verb such as "accepted") an update line also goes into the
    card's thread and to the rep; without it the caller sends its own messages.
    """
    with deps.transaction() as session:
        who = actor(deps, session, client, team_id=team_id, user_id=user_id)
        handoff = handoffs.get(session=session, workspace=who.workspace, handoff_id=handoff_id)
        change(session, handoff, who.person)
        session.flush()
        context = messenger.card_context(session, handoff, deps.config)
    messenger.refresh_card(client, handoff, context)
    if done is None:
        return handoff
    line = handoff_blocks.update_line(handoff, user_id, done)
    messenger.to_thread(client, handoff, line)
    if user_id != handoff.rep.slack_user_id:
        messenger.dm(client, handoff.rep.slack_user_id, line)
    return handoff


def load_for(
    deps: Deps, client: WebClient, *, team_id: str, user_id: str, handoff_id: int, verb: str
) -> Handoff:
    """The handoff, after checking ``user_id`` may ``verb`` it (before a modal opens)."""
    with deps.transaction() as session:
        who = actor(deps, session, client, team_id=team_id, user_id=user_id)
        handoff = handoffs.get(session=session, workspace=who.workspace, handoff_id=handoff_id)
        handoffs.check(handoff, who.person, deps.config, verb)
    return handoff
