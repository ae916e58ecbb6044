"""Links from Slack to a deal's CRM record (pure)."""

from __future__ import annotations

from bot.blocks.common import escape
from bot.db.models import Deal

VENDOR_NAMES = {"hubspot": "HubSpot", "salesforce": "Salesforce"}


def deal_link(deal: Deal) -> str:
    """The deal's name, linked to its CRM record when it has one (mrkdwn)."""
    name = escape(deal.name)
    if not deal.crm_url or not deal.crm_url.startswith("https://"):
        return name
    return f"<{deal.crm_url.replace('|', '%7C')}|{name}>"


def crm_fact(deal: Deal) -> str | None:
    """``*CRM* Open in HubSpot`` (linked) for a card's facts line; None without a record."""
    if not deal.crm_url or not deal.crm_url.startswith("https://"):
        return None
    vendor = VENDOR_NAMES.get(deal.crm_vendor or "", "the CRM")
    return f"*CRM* <{deal.crm_url.replace('|', '%7C')}|Open in {vendor}>"
