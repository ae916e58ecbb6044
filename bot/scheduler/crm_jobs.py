"""The CRM's scheduled work: each workspace's sync when it is due, then due write-backs.

Runs beside the due-work sweep in every replica; the sync and each write-back are claimed
in the database, so however many replicas run it, each happens once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy import select

from bot.crm.interface import Crm
from bot.crm.model import CrmError
from bot.db.models import Workspace
from bot.deps import Deps
from bot.scheduler.jobs import default_worker_id
from bot.services import crm_sync, crm_writes
from bot.services.crm_sync import Progress, SyncSummary
from bot.slack.owners import SlackOwners

log = logging.getLogger("dealcoach.crm")

ClientFor = Callable[[str], WebClient]


@dataclass
class CrmJobs:
    deps: Deps
    crm: Crm
    client_for: ClientFor
    worker_id: str = field(default_factory=default_worker_id)
    #: One owner cache per workspace, kept between syncs (emails rarely change hands).
    _owners: dict[str, SlackOwners] = field(default_factory=dict)

    def run_once(self) -> None:
        """The scheduler's job: never raises, so one bad run does not stop the next."""
        try:
            self.sync_all()
            crm_writes.run_once(self.deps, self.crm, worker=self.worker_id)
        except Exception:
            log.exception("crm job failed")

    def sync_all(
        self, *, full: bool = False, force: bool = False, progress: Progress | None = None
    ) -> dict[str, SyncSummary]:
        with self.deps.transaction() as session:
            teams = list(
                session.execute(
                    select(Workspace.id, Workspace.slack_team_id).where(
                        Workspace.uninstalled_at.is_(None)
                    )
                )
            )
        summaries: dict[str, SyncSummary] = {}
        for workspace_id, team_id in teams:
            try:
                client = self.client_for(team_id)
            except SlackClientError as exc:
                log.warning("crm sync skipped", extra={"team_id": team_id, "error": str(exc)})
                continue
            owners = self._owners.setdefault(team_id, SlackOwners(client))
            summaries[team_id] = crm_sync.run(
                self.deps,
                self.crm,
                workspace_id=workspace_id,
                owners=owners,
                notify=functools.partial(_dm, client),
                worker=self.worker_id,
                full=full,
                force=force,
                progress=progress,
            )
        return summaries


def fetch_deal(jobs: CrmJobs, *, team_id: str, workspace_id: int, name: str) -> int | None:
    """For the resolver's "no such deal" path: the CRM deal of that name, fetched and stored
    now (its id), or None. No transaction may be open; CRM faults become None (logged)."""
    owners = jobs._owners.setdefault(team_id, SlackOwners(jobs.client_for(team_id)))
    try:
        return crm_sync.fetch_by_name(
            jobs.deps, jobs.crm, workspace_id=workspace_id, name=name, owners=owners
        )
    except CrmError as exc:
        log.warning("crm lookup by name failed", extra={"error": type(exc).__name__})
        return None


def _dm(client: WebClient, user: str, text: str) -> None:
    client.chat_postMessage(channel=user, text=text)
