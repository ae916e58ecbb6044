"""One DM instead of a burst: several nudges for one person, most urgent first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks.common import Blocks, clip
from bot.blocks.snooze import snooze_actions
from bot.domain.subject import Subject

#: (notification text, the nudge's own blocks, what it is about)
Item = tuple[str, Blocks, Subject]


def digest(items: Sequence[Item], *, cap: int) -> tuple[str, Blocks]:
    """Each shown item keeps its words and its buttons; past ``cap`` they are counted."""
    shown, rest = items[:cap], len(items) - cap
    text = f"{len(items)} things are waiting for you"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": text}},
    ]
    for number, (item_text, item_blocks, subject) in enumerate(shown, start=1):
        blocks.append({"type": "divider"})
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": clip(f"*{number}.* {item_text}", 2900)},
            }
        )
        blocks.extend(block for block in item_blocks if block.get("type") == "actions")
        blocks.append(snooze_actions(subject))
    if rest > 0:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"…and {rest} more. Your App Home lists everything that is open.",
                    }
                ],
            }
        )
    return text, blocks
