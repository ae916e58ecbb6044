"""The optional "product gap" fields the resolve and decline forms carry.

Filling in the one-line description is what makes it a gap; the area and the weight
have defaults ("Other", challenge), so an SE who is in a hurry writes one line.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.views import View

from bot.blocks.common import Blocks, clip, escape, modal, quote
from bot.blocks.handoff import title
from bot.config import DealCoachConfig
from bot.db.models import Handoff
from bot.services.gaps import AREA_DETAIL_MAX, DESCRIPTION_MAX, OTHER_AREA, WEIGHT_WORDS
from bot.slack.ids import Callback, Field
from bot.slack.metadata import HandoffReply

#: What the resolve form's note may hold.
NOTE_MAX = 2000

#: Slack's limit on options in a static select.
SELECT_OPTIONS_MAX = 100


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": clip(text, 75)}, "value": value}


def _input(
    field: Field, label: str, element: dict[str, Any], hint: str | None = None
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.value,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": field.value},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def gap_fields(config: DealCoachConfig) -> Blocks:
    """A divider, a line of explanation and the four optional inputs."""
    areas = [*config.product_gaps.feature_areas, OTHER_AREA][:SELECT_OPTIONS_MAX]
    weights = [_option(words.capitalize(), weight.value) for weight, words in WEIGHT_WORDS.items()]
    return [
        {"type": "divider"},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "*Product gap?* If the deal needs something the product lacks, "
                    "say what in one line; the same need on other deals adds up.",
                }
            ],
        },
        _input(
            Field.GAP_DESCRIPTION,
            "What is missing",
            {"type": "plain_text_input", "max_length": DESCRIPTION_MAX},
            "One line, e.g. SSO with Okta for EU users",
        ),
        _input(
            Field.GAP_AREA,
            "Feature area",
            {
                "type": "static_select",
                "placeholder": {"type": "plain_text", "text": "Pick an area"},
                "options": [_option(area, area) for area in areas],
            },
        ),
        _input(
            Field.GAP_AREA_OTHER,
            "Other area",
            {"type": "plain_text_input", "max_length": AREA_DETAIL_MAX},
            "Only when none of the areas fits",
        ),
        _input(
            Field.GAP_WEIGHT,
            "How much it matters",
            {"type": "radio_buttons", "options": weights, "initial_option": weights[1]},
        ),
    ]


def with_gap_fields(view: dict[str, Any], config: DealCoachConfig) -> dict[str, Any]:
    """A handoff form (resolve, decline) with the product-gap fields after its own."""
    extended = {**view, "blocks": [*view["blocks"], *gap_fields(config)]}
    View(**extended).validate_json()
    return extended


def resolve_modal(handoff: Handoff, config: DealCoachConfig) -> dict[str, Any]:
    """Mark resolved from the card: an optional note on what fixed it, and the gap fields."""
    blocks: Blocks = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": clip(f"*{escape(title(handoff))}*\n" + quote(handoff.problem), 3000),
            },
        },
        _input(
            Field.NOTE,
            "What fixed it",
            {"type": "plain_text_input", "multiline": True, "max_length": NOTE_MAX},
            "Optional: the rep and the card's history will show it",
        ),
    ]
    return modal(
        Callback.HANDOFF_RESOLVE,
        "Resolve handoff",
        "Resolve",
        [*blocks, *gap_fields(config)],  # type: ignore[list-item]
        HandoffReply(handoff_id=handoff.id),
    )
