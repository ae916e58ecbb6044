"""The one interface services use to reach a CRM; adapters live beside it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from bot.crm.model import CrmDeal, CrmWrite, DealPage


class Crm(Protocol):
    """A source of deals and a place to write coaching back to.

    Every method may raise :class:`~bot.crm.model.CrmAuthError` (credentials refused) or
    :class:`~bot.crm.model.CrmRateLimited` (rate limited after every retry).
    """

    #: ``"hubspot"`` or ``"salesforce"``: for logs and messages.
    vendor: str

    def changed_since(self, since: datetime | None) -> Iterator[DealPage]:
        """Deals changed after ``since`` (all deals when None), oldest change first, a page
        at a time so a sync streams; then the deals deleted after ``since``."""
        ...

    def get_deal(self, crm_id: str) -> CrmDeal | None:
        """One deal by its CRM id; None when the CRM has no such (live) deal."""
        ...

    def search_deals(self, name: str, *, limit: int = 10) -> list[CrmDeal]:
        """Deals whose name contains ``name`` (case-insensitive), at most ``limit``."""
        ...

    def owner_email(self, owner_id: str) -> str | None:
        """The email of a deal owner (cached); None when the CRM has no such owner."""
        ...

    def write(self, write: CrmWrite) -> str:
        """Put a note or task on the deal record; returns the CRM id of what was written."""
        ...
