"""Block Kit for `/precall`: the confirmation, the pre-call tips DM, the debrief request.

Pure functions: data in, Slack JSON out; every builder validates with slack_sdk's models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

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

from bot.blocks.common import Blocks, clip, escape, mention, quote, to_dicts
from bot.config import CallType, Tip
from bot.db.models import Call, Handoff, HandoffState
from bot.slack.ids import Action, PerItem, per_item, tip_block

Message = tuple[str, Blocks]

CALL_TYPES = " | ".join(call_type.value for call_type in CallType)

#: block_id of a tip's feedback buttons: this prefix and the tip id.

_CALL_WORDS = {
    CallType.DISCOVERY: "Discovery call",
    CallType.DEMO: "Demo",
    CallType.TECHNICAL: "Technical call",
    CallType.NEGOTIATION: "Negotiation",
}
_HANDOFF_WORDS = {
    HandoffState.OPEN: "waiting for the SE to accept",
    HandoffState.ACCEPTED: "accepted, in progress",
}


@dataclass(frozen=True)
class DealLines:
    """Where the deal stands, for the top of a pre-call DM."""

    confirmed_problem: str | None = None
    gaps: tuple[str, ...] = ()
    open_handoffs: tuple[Handoff, ...] = ()


def local(at: datetime, tz: ZoneInfo) -> str:
    """A moment as people read it in their zone: "Tue 24 Nov, 10:00"."""
    return f"{at.astimezone(tz):%a %d %b, %H:%M}"


def call_title(call: Call) -> str:
    return f"{_CALL_WORDS[call.call_type]} with {call.deal.name}"


def confirmation(call: Call, *, tz: ZoneInfo, tips_at: datetime) -> Message:
    """To the rep, privately: what was scheduled and what will happen."""
    who = f" with {mention(call.se.slack_user_id)}" if call.se is not None else ""
    text = f"Scheduled: {escape(call_title(call))} on {local(call.starts_at, tz)} (your time){who}."
    lines = [
        f":calendar: {text}",
        f"Tips for the call reach you{' both' if call.se else ''} at "
        f"{tips_at.astimezone(tz):%H:%M}; after it I'll ask you to put the customer's problem "
        "in your own words.",
    ]
    if call.se is None:
        lines.append("Add `with @se` next time and your SE gets tips for their part too.")
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Call #{call.id} · `/precall list` shows your calls · "
                    f"`/precall cancel {call.id}` cancels this one"
                )
            ]
        ),
    ]
    return text, to_dicts(blocks)


def se_heads_up(call: Call, *, tz: ZoneInfo) -> Message:
    """To the SE when a rep names them: the call is in their calendar's terms."""
    text = (
        f"{mention(call.rep.slack_user_id)} added you to a {call.call_type.value} call with "
        f"{escape(call.deal.name)} on {local(call.starts_at, tz)} (your time). I'll send you "
        "a few tips for your part shortly before it starts."
    )
    return text, to_dicts([SectionBlock(text=MarkdownTextObject(text=text))])


def tips_dm(
    call: Call,
    *,
    recipient: str,
    tips: Sequence[Tip],
    deal: DealLines,
    tz: ZoneInfo,
    now: datetime,
) -> Message:
    """The pre-call DM: the deal's state, then each tip with its idea and feedback buttons."""
    minutes = max(round((call.starts_at - now).total_seconds() / 60), 1)
    title = call_title(call)
    text = f"{title} in {minutes} minutes: " + (
        f"{len(tips)} tips for the call" if tips else "where the deal stands"
    )
    blocks: list[Block] = [
        HeaderBlock(text=clip(f"{title}, {call.starts_at.astimezone(tz):%H:%M}", 150)),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"Starts in {minutes} minutes ({local(call.starts_at, tz)} your time)"
                + _with(call, recipient)
                + "."
            )
        ),
        *_deal_state(deal),
        DividerBlock(),
    ]
    for number, tip in enumerate(tips, start=1):
        blocks.extend(
            [
                SectionBlock(text=MarkdownTextObject(text=f"*{number}.* {escape(tip.text)}")),
                ContextBlock(elements=[MarkdownTextObject(text=f"Why: {escape(tip.idea)}")]),
                ActionsBlock(
                    block_id=tip_block(tip.id),
                    elements=[
                        ButtonElement(
                            text="Helpful",
                            action_id=Action.TIP_HELPFUL.value,
                            value=f"{call.id}:{tip.id}",
                        ),
                        ButtonElement(
                            text="Not helpful",
                            action_id=Action.TIP_NOT_HELPFUL.value,
                            value=f"{call.id}:{tip.id}",
                        ),
                    ],
                ),
            ]
        )
    return clip(text, 300), to_dicts(blocks)


def with_feedback(blocks: Blocks, *, tip_id: str, helpful: bool) -> Blocks:
    """The same DM with one tip's buttons replaced by a thank-you line."""
    line = (
        "You found this helpful. Thanks, it helps us pick tips."
        if helpful
        else "Noted: not helpful for you. Thanks, it helps us pick better tips."
    )
    replaced: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("block_id") == tip_block(tip_id):
            replaced.extend(
                to_dicts(
                    [
                        ContextBlock(
                            block_id=tip_block(tip_id),
                            elements=[MarkdownTextObject(text=line)],
                        )
                    ]
                )
            )
        else:
            replaced.append(block)
    return replaced


def debrief_request(call: Call) -> Message:
    """To the rep once the call should be over: put the problem in your own words."""
    text = f"How did the {call.call_type.value} call with {call.deal.name} go?"
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"{escape(text)} While it's fresh, write the customer's top problems the "
                "way you'd say them back to them: what hurts, what it costs them, and why "
                "now. I'll check it with you, then your SE can confirm it."
            )
        ),
        ActionsBlock(
            block_id=per_item(PerItem.DEBRIEF_REQUEST, call.id),
            elements=[
                ButtonElement(
                    text="Write the paraphrase",
                    action_id=Action.DEBRIEF_OPEN.value,
                    value=str(call.id),
                    style="primary",
                )
            ],
        ),
    ]
    return text, to_dicts(blocks)


def call_list(calls: Sequence[Call], *, me: str, tz: ZoneInfo) -> Message:
    """`/precall list`: my upcoming calls, soonest first."""
    if not calls:
        text = "You have no upcoming calls. `/precall Acme Corp tomorrow 10am` schedules one."
        return text, to_dicts([SectionBlock(text=MarkdownTextObject(text=text))])
    lines = []
    for call in calls[:20]:
        other = call.se if call.rep.slack_user_id == me else call.rep
        who = f" · with {mention(other.slack_user_id)}" if other is not None else ""
        lines.append(
            f"• *#{call.id}* {escape(call_title(call))} · {local(call.starts_at, tz)}{who}"
        )
    if len(calls) > 20:
        lines.append(f"…and {len(calls) - 20} more.")
    text = f"{len(calls)} upcoming call{'s' if len(calls) != 1 else ''}"
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text="*Your upcoming calls*\n" + "\n".join(lines)))
    ]
    return text, to_dicts(blocks)


def feedback_report(tips: Sequence[Tip], counts: Mapping[str, tuple[int, int]]) -> Message:
    """`/precall feedback`: how people rated each tip, most helpful first."""
    rated = sorted(
        ((tip, *counts.get(tip.id, (0, 0))) for tip in tips),
        key=lambda row: (-(row[1] - row[2]), -row[1], row[0].id),
    )
    lines = [
        f"• `{tip.id}` · {helpful} helpful, {unhelpful} not · {clip(escape(tip.text), 90)}"
        for tip, helpful, unhelpful in rated
        if helpful or unhelpful
    ]
    if not lines:
        text = "Nobody has rated a tip yet; the buttons are under each tip in the pre-call DMs."
        return text, to_dicts([SectionBlock(text=MarkdownTextObject(text=text))])
    text = f"Feedback on {len(lines)} tips"
    body = clip("*How people rated the pre-call tips*\n" + "\n".join(lines[:30]), 2900)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=body)),
        ContextBlock(
            elements=[MarkdownTextObject(text="Tips live in config/tips.yaml; edit them there.")]
        ),
    ]
    return text, to_dicts(blocks)


def cancelled(call: Call) -> str:
    return f"Cancelled call #{call.id} ({escape(call_title(call))}); no tips will be sent for it."


def _with(call: Call, recipient: str) -> str:
    others = [
        person.slack_user_id
        for person in (call.rep, call.se)
        if person is not None and person.slack_user_id != recipient
    ]
    return "".join(f", with {mention(other)}" for other in others)


def _deal_state(deal: DealLines) -> list[Block]:
    lines: list[str] = []
    if deal.confirmed_problem:
        lines.append("*The customer's problem, as confirmed*\n" + quote(deal.confirmed_problem))
    else:
        lines.append(
            "*The customer's problem* isn't confirmed on this deal yet; listen for it in "
            "their words."
        )
    if deal.open_handoffs:
        handoff_lines = "\n".join(
            f"• #{h.id} {clip(escape(h.problem), 120)} · {mention(h.assignee.slack_user_id)}, "
            f"{_HANDOFF_WORDS.get(h.state, h.state.value)}"
            for h in deal.open_handoffs[:5]
        )
        lines.append(f"*Open handoffs*\n{handoff_lines}")
    if deal.gaps:
        gap_lines = "\n".join(f"• {escape(gap)}" for gap in deal.gaps[:8])
        lines.append(f"*Open qualification gaps*\n{gap_lines}")
    return [SectionBlock(text=MarkdownTextObject(text=clip(line, 2900))) for line in lines]


HELP_TEXT = (
    "*Get tips before a customer call*\n"
    "• `/precall Acme Corp tomorrow 10am with @sam demo` — schedule it; you and the SE get "
    "tips shortly before\n"
    "• `/precall list` — your upcoming calls · `/precall cancel 12` — cancel one\n"
    "• `/precall feedback` — how people rated the tips\n"
    f"Call types: {CALL_TYPES} (discovery when you leave it out). Times are read in your "
    "Slack time zone: `tomorrow 10am`, `fri 14:30`, `in 2h`, `2026-11-24 10:00`."
)
