"""Deals from a CRM (HubSpot or Salesforce) and coaching written back to it.

Services talk to :class:`~bot.crm.interface.Crm` only; :func:`~bot.crm.factory.connect`
builds the adapter the config names. Importing this package connects to nothing.
"""

from bot.crm.interface import Crm
from bot.crm.model import (
    CrmAuthError,
    CrmDeal,
    CrmError,
    CrmRateLimited,
    CrmWrite,
    DealPage,
    DealStatus,
    DeletedDeal,
    WriteKind,
)

__all__ = [
    "Crm",
    "CrmAuthError",
    "CrmDeal",
    "CrmError",
    "CrmRateLimited",
    "CrmWrite",
    "DealPage",
    "DealStatus",
    "DeletedDeal",
    "WriteKind",
]
