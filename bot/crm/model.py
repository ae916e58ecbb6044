"""What Deal Coach knows about a deal in a CRM, whichever CRM it is.

Plain frozen dataclasses: the adapters build them from the vendor's answers, the sync
(and tests) read them. Nothing here talks to a network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class DealStatus(StrEnum):
    """Where a deal stands: nudges stop once it is won or lost."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"

    @property
    def is_open(self) -> bool:
        return self is DealStatus.OPEN


class WriteKind(StrEnum):
    """What a write-back becomes on the deal record."""

    NOTE = "note"
    TASK = "task"


@dataclass(frozen=True, slots=True)
class CrmDeal:
    """One deal (HubSpot deal, Salesforce Opportunity) as the CRM has it now."""

    crm_id: str
    name: str
    stage: str
    status: DealStatus
    updated_at: datetime
    owner_id: str | None = None
    owner_email: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    close_date: date | None = None
    #: A link a person can open to see the record in the CRM.
    url: str | None = None
    #: The territory or segment, when the team maps a field for it.
    territory: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def is_closed_won(self) -> bool:
        return self.status is DealStatus.WON

    @property
    def is_closed_lost(self) -> bool:
        return self.status is DealStatus.LOST


@dataclass(frozen=True, slots=True)
class DeletedDeal:
    """A deal removed from the CRM (HubSpot: archived; Salesforce: deleted)."""

    crm_id: str
    deleted_at: datetime


@dataclass(frozen=True, slots=True)
class DealPage:
    """One page of a change listing: changed deals, or deals deleted since the cut-off."""

    deals: tuple[CrmDeal, ...] = ()
    deleted: tuple[DeletedDeal, ...] = ()


@dataclass(frozen=True, slots=True)
class CrmWrite:
    """A note or task to put on a deal record: what the bot learned, for the sales manager."""

    deal_crm_id: str
    title: str
    body: str
    written_at: datetime
    kind: WriteKind = WriteKind.NOTE
    #: The owner to assign a task to (the CRM's owner id); notes ignore it.
    owner_id: str | None = field(default=None)


class CrmError(Exception):
    """The CRM answered with an error we cannot recover from by retrying."""


class CrmAuthError(CrmError):
    """The CRM no longer accepts our credentials: expired token, revoked app, missing scope.

    The sync stops on it with one log line and a DM to the admins; retrying will not help
    until a person renews the credentials. The message never contains the secret.
    """

    def __init__(self, vendor: str, reason: str) -> None:
        super().__init__(f"{vendor} refused our credentials: {reason}")
        self.vendor = vendor
        self.reason = reason


class CrmRateLimited(CrmError):
    """Still rate limited after every retry; try again at the next sync."""

    def __init__(self, vendor: str, attempts: int) -> None:
        super().__init__(f"{vendor} kept answering 'rate limited' after {attempts} attempts")
        self.vendor = vendor
        self.attempts = attempts
