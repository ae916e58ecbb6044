"""Small helpers the adapters share: turning CRM strings into typed values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from bot.crm.config import CrmConfig
from bot.crm.model import DealStatus


class StageRules:
    """Which stages mean won or lost, from config; every other stage is open."""

    def __init__(self, config: CrmConfig) -> None:
        self.won, self.lost = config.stages()

    def status(self, stage: str) -> DealStatus:
        folded = stage.casefold()
        if folded in self.won:
            return DealStatus.WON
        if folded in self.lost:
            return DealStatus.LOST
        return DealStatus.OPEN


def parse_amount(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def parse_date(value: object) -> date | None:
    """A close date: ``2026-12-31`` or a timestamp (HubSpot sends midnight UTC)."""
    if not value or not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return parse_timestamp(value).date()
    except ValueError:
        return None


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 with ``Z`` or an offset (Salesforce writes ``+0000``)."""
    if value.endswith("+0000"):
        value = value[:-5] + "+00:00"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
