"""Routing Block Kit: the "route this" message, why-this-SE lines, and the pickers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks import routing as blocks
from bot.coaching.routing import Away, Candidate, Need, route
from bot.config.routing import RoutingRule
from bot.slack.ids import ROUTE_ASSIGN_PATTERN, Action, Field

RULES = (RoutingRule.AREA_AND_TERRITORY, RoutingRule.AREA, RoutingRule.TEAM)
AREAS = {"sso": "SSO", "api": "API", "dwh": "Data warehouse"}
NAMES = {"U0ANA": "Ana", "U0BEN": "Ben", "U0CAL": "Cal"}
ANA = Candidate("U0ANA", frozenset({"sso", "api"}), frozenset({"EMEA"}), 6, 6)
BEN = Candidate(
    "U0BEN", frozenset({"sso"}), frozenset({"NA"}), 1, 8, Away("offsite", date(2026, 11, 27))
)
CAL = Candidate("U0CAL", frozenset({"dwh"}), frozenset(), 0, 8)
NEED = Need("sso", "SSO", "EMEA", "West")
REQUEST = blocks.RouteRequest(
    12, "Acme <Corp>", "SSO with Okta fails for EU users", "U0REP0001", "SSO", "EMEA"
)


def valid(dicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert len(dicts) <= 50
    for block in dicts:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()
    return dicts


def buttons(dicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in dicts if b["type"] == "actions" for e in b["elements"]]


def test_route_this_has_a_button_per_candidate_with_load_and_area_then_someone_else() -> None:
    routed = route((ANA, BEN, CAL), NEED, RULES)
    assert routed.chosen is None
    text, dicts = blocks.route_this(REQUEST, routed, names=NAMES, areas=AREAS)
    valid(dicts)
    assert text == "A handoff on Acme <Corp> needs an SE: nobody fits right now"
    assert [(b["text"]["text"], b["value"]) for b in buttons(dicts)] == [
        ("Ana · 6 open, at cap · SSO, API", "12:U0ANA"),
        ("Ben · away · SSO", "12:U0BEN"),
        ("Cal · 0 open · Data warehouse", "12:U0CAL"),
        ("Pick someone else", "12"),
    ]
    ids = [b["action_id"] for b in buttons(dicts)]
    assert len(set(ids)) == len(ids)
    assert all(ROUTE_ASSIGN_PATTERN.match(i) for i in ids[:-1])
    assert ids[-1] == Action.ROUTE_PICK_OTHER
    body = dicts[0]["text"]["text"]
    assert "*Acme &lt;Corp&gt;* and no SE" in body and "*Area* SSO · *Territory* EMEA" in body
    assert dicts[2]["elements"][0]["text"] == (
        "Considered: <@U0ANA> at their cap of 6 open handoffs."
    )


def test_the_reason_names_everyone_the_deciding_rule_left_out() -> None:
    routed = route(
        (replace(ANA, open_handoffs=0, away=Away()), BEN), Need("sso", "SSO", "APAC"), RULES
    )
    assert blocks.why_nobody(routed) == (
        "Considered: <@U0ANA> away; <@U0BEN> away until Fri 27 Nov: offsite."
    )
    assert blocks.why_nobody(route((CAL,), NEED, (RoutingRule.AREA,))) == (
        "No SE on the team covers this, and no routing rule offers anyone."
    )


def test_buttons_are_capped_and_labels_fit_slack() -> None:
    many = tuple(
        Candidate(f"U0SE{n:05d}", frozenset({"sso", "api", "dwh"}), frozenset(), 9, 8)
        for n in range(30)
    )
    names = {c.slack_user_id: "A very long display name indeed, " * 3 for c in many}
    _, dicts = blocks.route_this(REQUEST, route(many, NEED, RULES), names=names, areas=AREAS)
    found = buttons(valid(dicts))
    assert len(found) == blocks.MAX_CANDIDATE_BUTTONS + 1
    assert all(len(b["text"]["text"]) <= 75 for b in found)


def test_choice_values_round_trip_and_bad_ones_are_refused() -> None:
    assert blocks.read_choice(blocks.choice_value(12, "U0ANA")) == (12, "U0ANA")
    for bad in ("", "12", "x:U0ANA", ":U0ANA"):
        with pytest.raises(ValueError):
            blocks.read_choice(bad)


def test_why_lines_for_the_card_and_the_confirmation() -> None:
    assert blocks.routed_to_you("covers SSO and EMEA; 2 open handoffs")["elements"] == [
        {"type": "mrkdwn", "text": "Routed to you: covers SSO and EMEA; 2 open handoffs."}
    ]
    assert blocks.routed_to("U0ANA", "covers SSO; no open handoffs")["elements"][0]["text"] == (
        "Routed to <@U0ANA>: covers SSO; no open handoffs."
    )
    waiting = blocks.waiting_for_a_manager(["U0MGR0001"])["elements"][0]["text"]
    assert waiting.startswith("No SE is free for this right now, so I asked <@U0MGR0001> to pick")
    assert "your SE manager" in blocks.waiting_for_a_manager([])["elements"][0]["text"]


def test_product_area_select_is_prefilled_with_the_guess() -> None:
    block = blocks.product_area_input(AREAS, initial="api")
    assert block is not None
    valid([block])
    assert block["block_id"] == block["element"]["action_id"] == Field.PRODUCT_AREA
    assert block["optional"] is True
    assert block["element"]["initial_option"]["value"] == "api"
    assert [o["text"]["text"] for o in block["element"]["options"]] == [
        "SSO",
        "API",
        "Data warehouse",
    ]
    assert "initial_option" not in (blocks.product_area_input(AREAS, initial=None) or {})["element"]
    assert blocks.product_area_input({}) is None


def test_reassign_options_come_ranked_with_the_reason() -> None:
    routed = route((CAL, BEN, replace(ANA, open_handoffs=2)), NEED, RULES)
    options = blocks.candidate_options(routed, names=NAMES, areas=AREAS)
    assert [(o["value"], o["description"]["text"]) for o in options] == [
        ("U0ANA", "covers SSO and EMEA; 2 open handoffs"),
        ("U0BEN", "away until Fri 27 Nov: offsite"),
        ("U0CAL", "next in West's rotation; no open handoffs"),
    ]
