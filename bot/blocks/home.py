"""The App Home tab: what is on my plate, what is stuck, and my settings.

Slack allows 100 blocks in a Home view; every section shows its first rows and a
"Show more" button that republishes with a longer list, within that budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.common import clip, escape, mention
from bot.blocks.crm import deal_link
from bot.db.models import Handoff, HandoffState
from bot.slack.ids import Action, PerItem, per_item

HOME_BLOCK_LIMIT = 100
DEFAULT_ROWS = 5


@dataclass(frozen=True)
class HandoffRow:
    handoff: Handoff
    #: Where it stands against its SLA, e.g. "open, answer due in 3h".
    sla: str
    #: Whether this person is its SE (and so gets the Accept / Resolve button in place).
    as_se: bool


@dataclass(frozen=True)
class Line:
    """One row of a simple section: mrkdwn text (already escaped where needed)."""

    text: str


@dataclass
class Section:
    key: str
    title: str
    rows: Sequence[HandoffRow | Line]
    empty: str
    extra: list[Block] = field(default_factory=list)


def _age(now: datetime, then: datetime) -> str:
    hours = int((now - then).total_seconds() // 3600)
    return f"{hours // 24}d" if hours >= 48 else f"{max(hours, 0)}h"


def _handoff_block(row: HandoffRow, now: datetime) -> Block:
    handoff = row.handoff
    other = handoff.rep if row.as_se else handoff.assignee
    role = "from" if row.as_se else "with"
    text = (
        f"*#{handoff.id} {deal_link(handoff.deal)}* · {role} {mention(other.slack_user_id)} · "
        f"{_age(now, handoff.created_at)} old · _{escape(row.sla)}_\n"
        + clip(escape(handoff.problem), 150)
    )
    accessory = None
    if row.as_se and handoff.state is HandoffState.OPEN:
        accessory = ButtonElement(
            text="Accept", action_id=Action.HANDOFF_ACCEPT.value, value=str(handoff.id)
        )
    elif row.as_se and handoff.state is HandoffState.ACCEPTED:
        accessory = ButtonElement(
            text="Mark resolved", action_id=Action.HANDOFF_RESOLVE.value, value=str(handoff.id)
        )
    return SectionBlock(
        block_id=per_item(PerItem.HOME_HANDOFF, handoff.id),
        text=MarkdownTextObject(text=text),
        accessory=accessory,
    )


def home_view(
    sections: Sequence[Section], *, now: datetime, rows_per_section: int = DEFAULT_ROWS
) -> dict[str, Any]:
    """The Home view; each section shows ``rows_per_section`` rows, within Slack's limit."""
    blocks: list[Block] = [HeaderBlock(text="Your deals in flight")]
    fixed = 1 + sum(2 + len(section.extra) for section in sections)  # header, divider+title
    budget = HOME_BLOCK_LIMIT - fixed - len(sections)  # room for one "show more" each
    wanted = sum(min(len(s.rows), rows_per_section) or 1 for s in sections)
    per_section = rows_per_section if wanted <= budget else max(budget // len(sections) - 1, 1)
    more = False
    for section in sections:
        blocks += [
            DividerBlock(),
            SectionBlock(text=MarkdownTextObject(text=f"*{section.title}*")),
        ]
        shown = section.rows[:per_section]
        if not shown:
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=section.empty)]))
        for row in shown:
            if isinstance(row, HandoffRow):
                blocks.append(_handoff_block(row, now))
            else:
                blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(row.text, 2900))))
        hidden = len(section.rows) - len(shown)
        if hidden > 0:
            more = True
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {hidden} more")]))
        blocks += section.extra
    if more and per_section == rows_per_section:
        blocks.append(
            ActionsBlock(
                block_id="home_more",
                elements=[
                    ButtonElement(
                        text="Show more",
                        action_id=Action.HOME_SHOW_MORE.value,
                        value=str(rows_per_section * 3),
                    )
                ],
            )
        )
    view = View(type="home", blocks=blocks[:HOME_BLOCK_LIMIT])
    view.validate_json()
    return view.to_dict()


def settings_section(summary: str) -> list[Block]:
    """My settings, and the button that opens the form."""
    return [
        ActionsBlock(
            block_id="home_settings",
            elements=[
                ButtonElement(text="Change my settings", action_id=Action.COACH_SETTINGS.value)
            ],
        ),
        ContextBlock(elements=[MarkdownTextObject(text=summary)]),
    ]
