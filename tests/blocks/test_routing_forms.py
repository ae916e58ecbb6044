"""Routing's forms and replies: pick someone else, reassign with ranked SEs, territory, away."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.blocks import routing as routing_blocks
from bot.blocks import routing_forms as forms
from bot.coaching.routing import route
from bot.slack.metadata import HandoffReply, RoutePick
from tests.blocks.test_routing_blocks import ANA, AREAS, BEN, CAL, NAMES, NEED, RULES, valid


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    blocks: list[dict[str, Any]] = view["blocks"]  # type: ignore[assignment]
    valid(blocks)
    return {b["block_id"]: b for b in blocks if b["type"] == "input"}


def test_pick_someone_else_asks_for_one_person_and_carries_the_request() -> None:
    view = forms.pick_someone_modal(7, "Acme <Corp>", "SSO fails " * 200)
    assert list(inputs(view)) == ["assignee"]
    assert RoutePick.from_json(str(view["private_metadata"])).unrouted_id == 7
    assert "Acme &lt;Corp&gt;" in json.dumps(view["blocks"])


def test_reassign_lists_the_ranked_ses_best_first_with_the_chosen_one_selected() -> None:
    routed = route((ANA, BEN, CAL), NEED, RULES)
    view = forms.reassign_modal(
        handoff_id=3,
        title="Handoff #3 · Acme",
        problem="SSO",
        routed=routed,
        names=NAMES,
        areas=AREAS,
    )
    fields = inputs(view)
    select = fields["route_candidate"]["element"]
    assert [o["value"] for o in select["options"]] == [
        r.candidate.slack_user_id for r in routed.ranked
    ]
    assert "initial_option" not in select  # nobody is free: nothing is pre-picked
    assert fields["assignee"]["optional"] is True
    assert HandoffReply.from_json(str(view["private_metadata"])).handoff_id == 3
    free = route((CAL,), NEED, RULES)
    picked = forms.reassign_modal(
        handoff_id=3, title="t", problem="p", routed=free, names=NAMES, areas=AREAS
    )
    assert inputs(picked)["route_candidate"]["element"]["initial_option"]["value"] == "U0CAL"


def test_reassign_with_nobody_else_on_the_team_asks_for_anyone() -> None:
    view = forms.reassign_modal(
        handoff_id=3, title="t", problem="p", routed=route((), NEED, RULES), names={}, areas={}
    )
    assert list(inputs(view)) == ["assignee"] and inputs(view)["assignee"].get("optional") in (
        None,
        False,
    )


def test_territory_select_only_when_some_se_covers_one() -> None:
    assert forms.territory_block([], initial=None) is None
    block = forms.territory_block(["EMEA", "NA"], initial="NA")
    assert block is not None
    as_dict = valid([block.to_dict()])[0]
    assert as_dict["element"]["initial_option"]["value"] == "NA"


def test_away_replies_say_the_day_read_and_how_to_undo_it() -> None:
    said = forms.away_set(date(2026, 11, 27), "offsite", "Europe/Berlin")
    assert "through Fri 27 Nov 2026 (offsite)" in said and "/coach back" in said
    assert "Welcome back" in forms.back_reply(True)
    assert "weren't marked away" in forms.back_reply(False)


def test_the_card_line_names_the_area_and_why() -> None:
    (block,) = routing_blocks.on_card("covers SSO; 2 open handoffs", "SSO")
    assert block.to_dict()["elements"][0]["text"] == (
        "*Product area* SSO · Routed to you: covers SSO; 2 open handoffs."
    )
    assert routing_blocks.on_card(None, None) == []
