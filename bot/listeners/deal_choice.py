"""Which deal a command means, asked before anything is written.

A command that names a deal calls :func:`settle` first. A deal found by name (exactly, or
written another way) goes ahead at once. Close names, no match at all or a name that
cannot be a deal's get a private answer instead: "did you mean" buttons carrying the
waiting command (:func:`bot.blocks.deals.encode_pending`), or how to write the name. The
buttons are answered in :mod:`bot.listeners.actions.deals`, which creates a deal only
when the person pressed "New deal named …".
"""

from __future__ import annotations

import logging
from typing import Any

from bot.blocks import deals as deal_blocks
from bot.crm.interface import Crm
from bot.crm.model import CrmError
from bot.listeners.acting import Caller
from bot.services import crm_sync, deals, people
from bot.slack import messenger
from bot.slack.owners import SlackOwners

log = logging.getLogger("dealcoach.deals")

#: The ``pending`` key naming the command that waits for the choice.
COMMAND = "c"


def resolve(caller: Caller, name: str) -> deals.Resolution:
    """What ``name`` means in the caller's workspace, read in a short transaction; with a
    CRM configured, a name the sync has not brought yet is looked up there too."""
    with caller.deps.reading() as session:
        workspace = people.find_workspace(session=session, slack_team_id=caller.team_id)
        if workspace is None:
            refused = deals.check_name(name)
            return refused if refused is not None else deals.NoMatch(deals.clean_name(name))
        resolution = deals.resolve(session=session, workspace=workspace, name=name)
        workspace_id = workspace.id
    if isinstance(resolution, deals.Found | deals.Refused) or caller.deps.crm is None:
        return resolution
    if not _fetched_from_crm(caller, caller.deps.crm, workspace_id, name):
        return resolution
    with caller.deps.reading() as session:
        workspace = people.find_workspace(session=session, slack_team_id=caller.team_id)
        assert workspace is not None
        return deals.resolve(session=session, workspace=workspace, name=name)


def _fetched_from_crm(caller: Caller, crm: Crm, workspace_id: int, name: str) -> bool:
    """The CRM deal named so, stored now (no transaction is open while the CRM answers);
    a CRM fault only means the person is asked as if the CRM had no such deal."""
    try:
        found = crm_sync.fetch_by_name(
            caller.deps,
            crm,
            workspace_id=workspace_id,
            name=name,
            owners=SlackOwners(caller.client),
        )
    except CrmError as exc:
        log.warning("could not look the deal up in the CRM", extra={"error": type(exc).__name__})
        return False
    return found is not None


def settle(
    caller: Caller, name: str, *, pending: dict[str, Any], response_url: str | None
) -> str | None:
    """The found deal's own name, or ``None`` once the person was asked to choose.

    ``pending`` is what the buttons carry back (with :data:`COMMAND` set); if it is too
    long for a button, :class:`~bot.blocks.deals.PendingTooLong` is raised for the
    caller to open its form instead.
    """
    resolution = resolve(caller, name)
    if isinstance(resolution, deals.Found):
        return resolution.deal.name
    if isinstance(resolution, deals.Refused):
        text, blocks = resolution.message, None
    else:
        candidates = (
            [deals.DealOption(deal.id, deal.name) for deal in resolution.deals]
            if isinstance(resolution, deals.Candidates)
            else []
        )
        text, blocks = deal_blocks.did_you_mean(resolution.name, candidates, pending)
    messenger.reply_privately(
        caller.client, user_id=caller.user_id, response_url=response_url, text=text, blocks=blocks
    )
    return None
