"""Build the configured CRM adapter from settings (secrets) and config (which CRM, fields)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bot.crm.config import CrmConfig, CrmVendor
from bot.crm.interface import Crm
from bot.settings import Settings

if TYPE_CHECKING:  # tenacity loads with an adapter, not for `crm: none`
    from bot.crm.retry import Sleep


def connect(settings: Settings, config: CrmConfig, *, sleep: Sleep = time.sleep) -> Crm | None:
    """The adapter for ``config.vendor``, or None for ``crm: none``.

    Raises :class:`~bot.settings.SettingsError` naming the missing variable. Nothing is
    sent until the adapter is first used.
    """
    if config.vendor is CrmVendor.HUBSPOT:
        from bot.crm.hubspot import HubSpotCrm

        settings.require("HUBSPOT_ACCESS_TOKEN")
        assert settings.hubspot_access_token is not None
        return HubSpotCrm(
            access_token=settings.hubspot_access_token.get_secret_value(),
            config=config,
            api_url=settings.hubspot_api_url,
            sleep=sleep,
        )
    if config.vendor is CrmVendor.SALESFORCE:
        from bot.crm.salesforce import SalesforceCrm

        if settings.salesforce_session_id is None:
            settings.require("SALESFORCE_USERNAME", "SALESFORCE_PASSWORD")
        else:
            settings.require("SALESFORCE_INSTANCE_URL")

        def secret(value: object) -> str | None:
            return value.get_secret_value() if hasattr(value, "get_secret_value") else None

        return SalesforceCrm(
            config=config,
            username=settings.salesforce_username,
            password=secret(settings.salesforce_password),
            security_token=secret(settings.salesforce_security_token),
            domain=settings.salesforce_domain,
            session_id=secret(settings.salesforce_session_id),
            instance_url=settings.salesforce_instance_url,
            api_url=settings.salesforce_api_url,
            sleep=sleep,
        )
    return None
