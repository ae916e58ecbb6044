"""Parsing `/coach gap` text."""

from __future__ import annotations

from bot.slack import gap_forms


def test_deal_area_description_and_weight() -> None:
    parsed = gap_forms.parse(" Acme Corp : [Security & compliance] SSO with Okta (Deal Breaker) ")
    assert parsed.deal_name == "Acme Corp"
    assert parsed.draft.feature_area == "Security & compliance"
    assert (parsed.draft.description, parsed.draft.weight) == ("SSO with Okta", "deal_breaker")
    assert parsed.errors == {}


def test_defaults_and_mistakes_say_how_to_write_it() -> None:
    plain = gap_forms.parse("Beta: bulk export")
    assert (plain.draft.feature_area, plain.draft.weight) == ("Other", "challenge")
    assert gap_forms.parse("just words").errors["deal"].startswith("Write `/coach gap <deal>:")
    assert gap_forms.parse(": SSO").deal_name is None
    assert gap_forms.parse("Acme: SSO").draft.description == "SSO"
    assert gap_forms.parse("Acme:   ").draft.description == ""
    assert "(nice to have)" in gap_forms.parse("Acme: SSO (urgent)").errors["weight"]
