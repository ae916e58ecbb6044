"""The HubSpot stand-in for ``dealcoach shell --crm hubspot``: a few deals to find and coach.

The deals' owners are the pretend people (``name@example.com``), so a newcomer sees owners
mapped to Slack people, deals offered by the typeahead, and notes written back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.crm.config import CrmConfig
from bot.crm.hubspot import HubSpotCrm
from bot.deps import Deps
from bot.scheduler.crm_jobs import CrmJobs
from bot.services import people
from bot.standin.hubspot import HubSpotStandIn

#: (name, stage, amount) of the seeded deals.
SAMPLE_DEALS = (
    ("Acme Corp", "contractsent", "48000"),
    ("Globex", "qualifiedtobuy", "120000"),
    ("Initech", "appointmentscheduled", "15000"),
    ("Umbrella Health", "presentationscheduled", "230000"),
    ("Stark Industries", "closedwon", "90000"),
)


def email_of(name: str) -> str:
    return f"{name}@example.com"


class ShellCrm:
    """The stand-in, seeded; :meth:`jobs` syncs it into the shell's database."""

    def __init__(self, owner_names: list[str], *, start: datetime) -> None:
        self.standin = HubSpotStandIn()
        self.standin.__enter__()
        owners = [self.standin.add_owner(email_of(name)) for name in owner_names[:1]]
        for index, (name, stage, amount) in enumerate(SAMPLE_DEALS):
            [deal_id] = self.standin.seed(
                1, start=start - timedelta(days=30 - index), owner_ids=owners, name=name
            )
            self.standin.update(
                deal_id,
                start - timedelta(days=30 - index),
                dealname=name,
                dealstage=stage,
                amount=amount,
            )

    def jobs(self, deps: Deps, client: WebClient, team_id: str) -> CrmJobs:
        crm = HubSpotCrm(
            access_token=self.standin.access_token,
            config=deps.config.crm,
            api_url=self.standin.url,
            sleep=lambda _seconds: None,
        )
        with deps.transaction() as session:
            people.workspace(session=session, slack_team_id=team_id, now=deps.clock.now())
        return CrmJobs(deps, crm, lambda _team_id: client, worker_id="local")

    def close(self) -> None:
        self.standin.__exit__(None, None, None)


def shell_config() -> CrmConfig:
    return CrmConfig(vendor="hubspot", hubspot_portal_id=1234567)
