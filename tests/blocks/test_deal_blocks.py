"""The deal picker's builders: did-you-mean buttons, the typeahead field, options, merge."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks import deals as blocks
from bot.services.deal_merge import MergePreview
from bot.services.deals import DealOption
from bot.slack.ids import Action

PENDING = {"command": "/precall", "at": "2026-11-24T09:00:00+00:00", "se": "U0SE00001"}


def test_did_you_mean_has_one_button_per_deal_and_one_to_create() -> None:
    text, rendered = blocks.did_you_mean(
        "Acme Crop", [DealOption(1, "Acme Corp"), DealOption(2, "Acme Co-op")], PENDING
    )
    assert "Did you mean *Acme Corp* or *Acme Co-op*?" in text
    buttons = rendered[1]["elements"]
    assert [button["text"]["text"] for button in buttons] == [
        "Acme Corp",
        "Acme Co-op",
        "New deal named Acme Crop",
    ]
    values = [blocks.decode_pending(button["value"]) for button in buttons]
    assert values == [
        {**PENDING, "deal_id": 1},
        {**PENDING, "deal_id": 2},
        {**PENDING, "new_deal": "Acme Crop"},
    ]
    assert buttons[-1]["action_id"] == Action.DEAL_CREATE
    assert len({button["action_id"] for button in buttons}) == 3
    for block in rendered:
        Block.parse(block).validate_json()  # type: ignore[union-attr]


def test_with_nothing_close_only_creating_is_offered() -> None:
    text, rendered = blocks.did_you_mean("Initrode", [], PENDING)
    assert text == "I don't have a deal called “Initrode” yet. Is it a new one?"
    assert [button["text"]["text"] for button in rendered[1]["elements"]] == [
        "New deal named Initrode"
    ]


def test_a_long_pending_command_is_packed_under_slacks_limit() -> None:
    problem = "The nightly export times out after 30 minutes when the ledger passes 2M rows. " * 25
    pending = {"command": "/handoff", "se": "U0SE00001", "problem": problem}
    _, rendered = blocks.did_you_mean("Acme Crop", [DealOption(1, "Acme Corp")], pending)
    for button in rendered[1]["elements"]:
        assert len(button["value"]) <= blocks.BUTTON_VALUE_MAX
        assert blocks.decode_pending(button["value"])["problem"] == problem


def test_a_pending_command_that_cannot_fit_is_refused() -> None:
    noise = "".join(chr(0x4E00 + (index * 7919) % 20000) for index in range(3000))
    with pytest.raises(blocks.PendingTooLong):
        blocks.encode_pending({"problem": noise})


def test_the_deal_field_is_an_external_select_with_a_minimum_query() -> None:
    field = blocks.deal_field(initial=DealOption(3, "Initech"))
    assert field["element"]["type"] == "external_select"
    assert field["element"]["min_query_length"] == 1
    assert field["element"]["initial_option"]["value"] == "deal:3"
    View(type="modal", title="Deal", blocks=[field]).validate_json()


def test_options_keep_the_order_given_cap_at_100_and_end_with_create() -> None:
    many = [DealOption(number, f"Acme {number}") for number in range(150)]
    payload = blocks.options_payload(many, "  acme   new ")
    options = payload["options"]
    assert len(options) == 100
    assert options[0] == {
        "text": {"type": "plain_text", "text": "Acme 0", "emoji": True},
        "value": "deal:0",
    }
    assert options[-1]["value"] == "new:acme new"
    assert options[-1]["text"]["text"] == "Create “acme new”"
    assert blocks.read_choice(options[0]["value"]) == blocks.DealChoice(deal_id=0)
    assert blocks.read_choice(options[-1]["value"]) == blocks.DealChoice(new_name="acme new")
    assert blocks.read_choice("garbage") is None


def test_options_offer_no_create_for_a_name_already_listed_or_nothing_typed() -> None:
    assert blocks.options_payload([DealOption(1, "Initech")], "initech")["options"] == [
        {"text": {"type": "plain_text", "text": "Initech", "emoji": True}, "value": "deal:1"}
    ]
    assert (
        len(
            blocks.options_payload([DealOption(number, "x") for number in range(120)], "")[
                "options"
            ]
        )
        == 100
    )


def test_merge_confirmation_lists_what_moves() -> None:
    preview = MergePreview(7, "Acme Crop", 3, "Acme Corp", 2, 1, 0, 4, 1, 0, True)
    text, rendered = blocks.merge_confirmation(preview)
    assert (
        "2 handoffs, 1 call, 4 checklist answers, 1 pending reminder" in rendered[0]["text"]["text"]
    )
    assert text.startswith("Merge Acme Crop into Acme Corp?")
    confirm, cancel = rendered[1]["elements"]
    assert json.loads(confirm["value"]) == {"source": 7, "target": 3}
    assert (confirm["action_id"], cancel["action_id"]) == (
        Action.DEAL_MERGE_CONFIRM,
        Action.DEAL_MERGE_CANCEL,
    )
