"""The ``crm:`` section of ``config/dealcoach.yaml``: which CRM, and how to read its deals.

Secrets and base URLs are not here but in the environment (:mod:`bot.settings`).

Either the short form ``crm: hubspot`` or a mapping::

    crm:
      vendor: salesforce
      fields: {stage: StageName, amount: Amount, close_date: CloseDate}
      won_stages: [Closed Won]
      lost_stages: [Closed Lost]

Every stage not listed as won or lost counts as open.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CrmVendor(StrEnum):
    NONE = "none"
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"


class SalesforceWriteAs(StrEnum):
    """What a write-back becomes on an Opportunity."""

    TASK = "task"
    NOTE = "note"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CrmFields(_Strict):
    """Which CRM property holds each part of a deal; unset means the vendor's standard one."""

    name: str | None = None
    stage: str | None = None
    amount: str | None = None
    close_date: str | None = None
    currency: str | None = None
    owner: str | None = None
    #: The deal's territory or segment (no standard field in either CRM): routing matches it
    #: against the territories SEs cover.
    territory: str | None = None


class ResolvedFields(_Strict):
    """Every field named: the vendor's defaults overlaid with the team's mapping."""

    name: str
    stage: str
    amount: str
    close_date: str
    #: None when the CRM has no currency per deal (a single-currency Salesforce org).
    currency: str | None
    owner: str
    #: None unless the team maps one (``crm.fields.territory``).
    territory: str | None = None


HUBSPOT_FIELDS = ResolvedFields(
    name="dealname",
    stage="dealstage",
    amount="amount",
    close_date="closedate",
    currency="deal_currency_code",
    owner="hubspot_owner_id",
)
SALESFORCE_FIELDS = ResolvedFields(
    name="Name",
    stage="StageName",
    amount="Amount",
    close_date="CloseDate",
    currency=None,
    owner="OwnerId",
)
DEFAULT_STAGES: dict[CrmVendor, tuple[list[str], list[str]]] = {
    CrmVendor.HUBSPOT: (["closedwon"], ["closedlost"]),
    CrmVendor.SALESFORCE: (["Closed Won"], ["Closed Lost"]),
}


class CrmConfig(_Strict):
    vendor: CrmVendor = CrmVendor.NONE
    fields: CrmFields = CrmFields()
    #: Stages that mean the deal was won / lost; unset means the vendor's standard ones.
    won_stages: list[str] | None = None
    lost_stages: list[str] | None = None
    #: For deals whose CRM record has no currency.
    default_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    #: Deals asked for per request (HubSpot allows up to 200 per search page).
    page_size: int = Field(default=100, ge=1, le=200)
    #: HubSpot: the account (portal) id, for links to deal records.
    hubspot_portal_id: int | None = None
    salesforce_write_as: SalesforceWriteAs = SalesforceWriteAs.TASK
    #: Rate-limit retries before giving up until the next sync, and the longest wait.
    max_attempts: int = Field(default=6, ge=1, le=20)
    max_wait_seconds: float = Field(default=60.0, gt=0, le=600)
    #: Slack user ids told by DM when the CRM refuses our credentials (sync stops).
    admins: list[Annotated[str, Field(pattern=r"^[UW][A-Z0-9]{2,}$")]] = []
    #: Minutes between two syncs of changed deals.
    sync_every_minutes: int = Field(default=15, ge=1, le=1440)

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"vendor": data}
        return data

    @model_validator(mode="after")
    def _stages_apart(self) -> CrmConfig:
        both = set(self.won_stages or ()) & set(self.lost_stages or ())
        if both:
            raise ValueError(f"a stage cannot be both won and lost: {', '.join(sorted(both))}")
        return self

    @property
    def enabled(self) -> bool:
        return self.vendor is not CrmVendor.NONE

    def resolved_fields(self) -> ResolvedFields:
        base = SALESFORCE_FIELDS if self.vendor is CrmVendor.SALESFORCE else HUBSPOT_FIELDS
        overrides = self.fields.model_dump(exclude_none=True)
        return base.model_copy(update=overrides)

    def stages(self) -> tuple[frozenset[str], frozenset[str]]:
        """(won stages, lost stages), compared case-insensitively."""
        won, lost = DEFAULT_STAGES.get(self.vendor, ([], []))
        return (
            frozenset(stage.casefold() for stage in self.won_stages or won),
            frozenset(stage.casefold() for stage in self.lost_stages or lost),
        )
