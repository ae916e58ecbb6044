"""The crm: section of dealcoach.yaml and building the adapter from settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.crm.common import StageRules
from bot.crm.config import CrmConfig, CrmVendor
from bot.crm.factory import connect
from bot.crm.hubspot import HubSpotCrm
from bot.crm.model import DealStatus
from bot.settings import SettingsError, load_settings


def test_short_form_and_defaults() -> None:
    assert CrmConfig.model_validate("hubspot").vendor is CrmVendor.HUBSPOT
    assert not CrmConfig().enabled
    fields = CrmConfig(vendor=CrmVendor.SALESFORCE, fields={"amount": "ARR__c"}).resolved_fields()
    assert (fields.amount, fields.stage, fields.currency) == ("ARR__c", "StageName", None)


def test_stage_rules_are_case_insensitive_and_everything_else_is_open() -> None:
    rules = StageRules(CrmConfig(vendor=CrmVendor.HUBSPOT, won_stages=["Signed"]))
    assert rules.status("signed") is DealStatus.WON
    assert rules.status("closedlost") is DealStatus.LOST
    assert rules.status("closedwon") is DealStatus.OPEN, "the team's won list replaces ours"


def test_a_stage_cannot_be_won_and_lost() -> None:
    with pytest.raises(ValidationError, match="both won and lost"):
        CrmConfig(vendor=CrmVendor.HUBSPOT, won_stages=["done"], lost_stages=["done"])


def test_unknown_keys_are_reported() -> None:
    with pytest.raises(ValidationError):
        CrmConfig.model_validate({"vendor": "hubspot", "stage_field": "x"})


def test_connect_names_the_missing_secret() -> None:
    settings = load_settings(_env_file=None)
    assert connect(settings, CrmConfig()) is None
    with pytest.raises(SettingsError, match="HUBSPOT_ACCESS_TOKEN"):
        connect(settings, CrmConfig(vendor=CrmVendor.HUBSPOT))
    with pytest.raises(SettingsError, match="SALESFORCE_USERNAME"):
        connect(settings, CrmConfig(vendor=CrmVendor.SALESFORCE))
    token = load_settings(_env_file=None, hubspot_access_token="pat-na1-x")
    assert isinstance(connect(token, CrmConfig(vendor=CrmVendor.HUBSPOT)), HubSpotCrm)
