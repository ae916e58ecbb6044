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


def _state(**fields: object) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, value in fields.items():
        if name in ("gap_area", "gap_weight"):
            element = {"selected_option": {"value": value} if value else None}
        else:
            element = {"value": value}
        values[name] = {name: element}
    return {"state": {"values": values}}


def test_the_resolve_forms_gap_fields_are_valid_and_read_back() -> None:
    from bot.blocks.gaps import gap_fields
    from bot.config import DealCoachConfig, Team
    from bot.standin.validation import check_view

    config = DealCoachConfig(teams=[Team(name="T", ses=["U0SE00001"])])
    view = {
        "type": "modal",
        "callback_id": "x",
        "title": {"type": "plain_text", "text": "Resolve"},
        "submit": {"type": "plain_text", "text": "Resolve"},
        "blocks": gap_fields(config),
    }
    assert check_view(view, allowed_types=("modal",)) == []

    draft, errors = gap_forms.read_gap_fields(
        _state(gap_description=" SSO with Okta ", gap_area="API", gap_weight="deal_breaker")
    )
    assert errors == {} and draft is not None
    assert (draft.description, draft.feature_area, draft.weight) == (
        "SSO with Okta",
        "API",
        "deal_breaker",
    )
    assert gap_forms.read_gap_fields(_state(gap_description="", gap_weight="challenge")) == (
        None,
        {},
    )
    _, errors = gap_forms.read_gap_fields(_state(gap_description=None, gap_area="API"))
    assert "Say in one line what is missing" in errors["gap_description"]
    _, errors = gap_forms.read_gap_fields(
        _state(gap_description="x", gap_area="API", gap_area_other="Braille")
    )
    assert "pick Other" in errors["gap_area_other"]
    draft, _ = gap_forms.read_gap_fields(_state(gap_description="x", gap_area_other="Braille"))
    assert draft is not None and (draft.feature_area, draft.area_detail) == ("Other", "Braille")
