"""The App Home tab: what is on my plate right now."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks import handoff as handoff_blocks
from bot.db.models import Handoff


def home_view(
    as_rep: Sequence[Handoff], as_se: Sequence[Handoff], *, now: datetime
) -> dict[str, Any]:
    _, handoff_list = handoff_blocks.list_blocks(as_rep, as_se, now=now)
    blocks: list[Block] = [
        HeaderBlock(text="Your deals in flight"),
        *handoff_list,
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=handoff_blocks.HELP_TEXT)),
    ]
    view = View(type="home", blocks=blocks)
    view.validate_json()
    return view.to_dict()
