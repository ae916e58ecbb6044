"""Block Kit for /qualify: the checklist walk, the all-at-once form, the deal form, the
summary, "did you mean", and the reminder before a deal closes.

Pure functions: data in, Slack JSON out. Every builder validates with slack_sdk's models
and stays inside Slack's limits (50 blocks a message, 100 a modal).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    UserSelectElement,
)

from bot.blocks.common import Blocks, clip, escape, mention, modal, quote, to_dicts
from bot.coaching import qualification as rules
from bot.coaching.expert_trap import format_money
from bot.coaching.qualification import ANSWER_LABELS, Answer, ItemStatus
from bot.db.models import Deal
from bot.domain.standing import Standing
from bot.slack.ids import Action, Callback, Field, choice, item_field
from bot.slack.ids import Block as BlockId
from bot.slack.metadata import Metadata, QualifyChecklist, QualifyDealDetails, QualifyNewDeal

Message = tuple[str, Blocks]
"""A message: its notification text and its blocks."""

#: Slack's caps on a message and on a modal.
MESSAGE_BLOCKS_MAX = 50
MODAL_BLOCKS_MAX = 100
#: Gaps listed in a reminder DM before "…and N more".
NUDGE_GAPS_SHOWN = 10

_HINTS = {
    Answer.YES: "Confirmed with the customer",
    Answer.NO: "We know it isn't so",
    Answer.UNKNOWN: "Not found out yet",
}
_MARKS = {Answer.YES: "✅", Answer.NO: "❌", Answer.UNKNOWN: "❔", None: "▫️"}


def _option(answer: Answer) -> Option:
    return Option(value=answer.value, text=ANSWER_LABELS[answer], description=_HINTS[answer])


def _day(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%a %d %b %Y}"


def _last_answered(status: ItemStatus, tz: ZoneInfo) -> str:
    latest = status.latest
    if latest is None:
        return "Nobody has answered this yet."
    verb = "Confirmed" if latest.answer is Answer.YES else f"Marked {latest.answer.value}"
    return f"{verb} by {mention(latest.by)} on {_day(latest.at, tz)}."


def _ask(status: ItemStatus) -> str:
    item = status.item
    return f"*{escape(item.title)}*\n{escape(item.why)}\n*Ask:* “{escape(item.question)}”"


def _answer_inputs(status: ItemStatus) -> list[Block]:
    latest = status.latest
    return [
        InputBlock(
            block_id=item_field(Field.QUALIFY_ANSWER, status.item.key),
            label=clip(f"{status.item.title}?", 2000),
            optional=True,
            element=RadioButtonsElement(
                action_id=Field.QUALIFY_ANSWER.value,
                options=[_option(answer) for answer in Answer],
                initial_option=_option(latest.answer) if latest else None,
            ),
        ),
        InputBlock(
            block_id=item_field(Field.QUALIFY_EVIDENCE, status.item.key),
            label="Evidence",
            optional=True,
            hint="Who said what, and when. It is kept with the answer.",
            element=PlainTextInputElement(
                action_id=Field.QUALIFY_EVIDENCE.value,
                multiline=True,
                max_length=rules.EVIDENCE_MAX,
                placeholder="e.g. The CFO confirmed the budget on our 12 Nov call",
                initial_value=(latest.evidence if latest else None) or None,
            ),
        ),
    ]


def _progress(standing: Standing) -> str:
    return (
        f"*{escape(standing.deal.name)}* · {escape(standing.checklist.name)} · "
        f"{rules.summary_line(standing.items)}"
    )


def walk_modal(
    standing: Standing,
    index: int,
    *,
    tz: ZoneInfo,
    private_metadata: QualifyChecklist,
    notice: str | None = None,
) -> dict[str, object]:
    """One checklist item: why it matters, what to ask, the answer, and Back / Next."""
    items = standing.items
    status = items[index]
    last = index == len(items) - 1
    buttons = []
    if index > 0:
        buttons.append(ButtonElement(text="Back", action_id=Action.QUALIFY_BACK.value, value="b"))
    buttons.append(
        ButtonElement(
            text="Finish" if last else "Next",
            action_id=Action.QUALIFY_NEXT.value,
            value="n",
            style="primary",
        )
    )
    blocks: list[Block] = [
        ContextBlock(
            elements=[
                MarkdownTextObject(text=f"{_progress(standing)} · item {index + 1} of {len(items)}")
            ]
        ),
        SectionBlock(text=MarkdownTextObject(text=_ask(status))),
        *_answer_inputs(status),
        ContextBlock(elements=[MarkdownTextObject(text=_last_answered(status, tz))]),
    ]
    if notice:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f":warning: {escape(notice)}")))
    blocks.append(ActionsBlock(block_id=BlockId.QUALIFY_NAV.value, elements=buttons))
    metadata = dataclasses.replace(private_metadata, index=index)
    return _modal(Callback.QUALIFY_WALK, "Qualify a deal", "Save and close", blocks, metadata)


def finished_modal(standing: Standing, *, private_metadata: QualifyChecklist) -> dict[str, object]:
    """The end of the walk: the score and what is still open."""
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=_progress(standing)))]
    gaps = standing.gaps
    if gaps:
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text="*Worth asking on your next call*"))
        )
        blocks.extend(_gap_sections(gaps))
    else:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="Every item is confirmed. Share the evidence with your SE before "
                    "the next technical step."
                )
            )
        )
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Every answer is saved. `/qualify {escape(standing.deal.name)} "
                    "summary` shows this again."
                )
            ]
        )
    )
    blocks.append(
        ActionsBlock(
            block_id=BlockId.QUALIFY_NAV.value,
            elements=[ButtonElement(text="Back", action_id=Action.QUALIFY_BACK.value, value="b")],
        )
    )
    metadata = dataclasses.replace(private_metadata, index=len(standing.items))
    return _modal(Callback.QUALIFY_WALK, "Qualify a deal", None, blocks, metadata, close="Done")


def all_modal(
    standing: Standing, *, tz: ZoneInfo, private_metadata: QualifyChecklist
) -> dict[str, object]:
    """Every item in one form: three blocks each, so 30 items still fit a modal."""
    blocks: list[Block] = [
        ContextBlock(elements=[MarkdownTextObject(text=_progress(standing))]),
    ]
    for status in standing.items:
        text = f"{_ask(status)}\n_{_last_answered(status, tz)}_"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(text, 3000))))
        blocks.extend(_answer_inputs(status))
    assert len(blocks) <= MODAL_BLOCKS_MAX, "too many checklist items for one modal"
    return _modal(Callback.QUALIFY_ALL, "Qualify a deal", "Save answers", blocks, private_metadata)


def deal_modal(
    *,
    callback: Callback,
    name: str,
    owner: str | None,
    amount: int | None,
    close_date: date | None,
    private_metadata: QualifyNewDeal | QualifyDealDetails,
    territory: Block | None = None,
) -> dict[str, object]:
    """A new deal's details (name, owner, amount, close date), or an existing deal's.

    ``territory`` is routing's select (:func:`bot.blocks.routing_forms.territory_block`).
    """
    new = callback is Callback.QUALIFY_NEW_DEAL
    intro = (
        f"*{escape(name)}* is a new deal to me. Tell me who owns it and when it should "
        "close, and I'll keep its checklist with it."
        if new
        else f"*{escape(name)}*: the close date decides when I remind the owner of open items."
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=intro))]
    # A new deal's name, or an existing deal's name to change (a rename).
    blocks.append(
        InputBlock(
            block_id=Field.DEAL.value,
            label="Deal" if new else "Name (change it to rename the deal)",
            element=PlainTextInputElement(
                action_id=Field.DEAL.value,
                initial_value=name,
                max_length=150,
                placeholder="Acme Corp",
            ),
        )
    )
    blocks += [
        InputBlock(
            block_id=Field.DEAL_OWNER.value,
            label="Owner",
            element=UserSelectElement(
                action_id=Field.DEAL_OWNER.value, placeholder="The rep", initial_user=owner
            ),
        ),
        InputBlock(
            block_id=Field.DEAL_AMOUNT.value,
            label="Amount",
            optional=True,
            hint="What the deal is worth, as you'd write it: 48000, $48,000, 48k or 1.2M.",
            element=PlainTextInputElement(
                action_id=Field.DEAL_AMOUNT.value,
                placeholder="48k",
                max_length=40,
                initial_value=None if amount is None else str(amount),
            ),
        ),
        InputBlock(
            block_id=Field.CLOSE_DATE.value,
            label="Expected close date",
            element=DatePickerElement(
                action_id=Field.CLOSE_DATE.value,
                initial_date=close_date.isoformat() if close_date else None,
                placeholder="A best guess is fine",
            ),
        ),
        *([territory] if territory is not None else []),
    ]
    title, submit = ("New deal", "Create deal") if new else ("Deal details", "Save")
    return _modal(callback, title, submit, blocks, private_metadata)


def _deal_facts(deal: Deal, today: date) -> str:
    parts = []
    if deal.owner is not None:
        parts.append(f"owner {mention(deal.owner.slack_user_id)}")
    if deal.amount is not None:
        parts.append(format_money(deal.amount))
    if deal.close_date is not None:
        days = (deal.close_date - today).days
        when = "today" if days == 0 else (f"in {days} days" if days > 0 else f"{-days} days ago")
        parts.append(f"closes {deal.close_date:%a %d %b %Y} ({when})")
    return " · ".join(parts)


def _open_buttons(deal: Deal) -> ActionsBlock:
    def value(mode: str) -> str:
        return json.dumps({"deal_id": deal.id, "mode": mode})

    return ActionsBlock(
        block_id=BlockId.QUALIFY_CHOICES.value,
        elements=[
            ButtonElement(
                text="Go through the checklist",
                action_id=Action.QUALIFY_OPEN.value,
                value=value("walk"),
                style="primary",
            ),
        ],
    )


def summary(standing: Standing, *, tz: ZoneInfo, today: date) -> Message:
    """`/qualify <deal> summary`: the score, each gap with its question, and who confirmed
    what when."""
    deal = standing.deal
    line = rules.summary_line(standing.items)
    facts = _deal_facts(deal, today)
    blocks: list[Block] = [
        HeaderBlock(text=clip(f"{deal.name}: qualification", 150)),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{escape(standing.checklist.name)}* · {line}"
                + (f"\n{facts}" if facts else "")
            )
        ),
    ]
    gaps = standing.gaps
    if gaps:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text="*Still open*, with a question for your next call:")
            )
        )
    for status in gaps:
        last = "" if status.latest is None else f"\n_{_last_answered(status, tz)}_"
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"{_MARKS[status.answer]} *{escape(status.item.title)}*: "
                    f"{status.answer_words}\n*Ask:* “{escape(status.item.question)}”{last}"
                )
            )
        )
    confirmed = [status for status in standing.items if not status.is_gap]
    if confirmed:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Confirmed*")))
    for status in confirmed:
        latest = status.latest
        assert latest is not None
        evidence = f"\n{quote(clip(latest.evidence, 300))}" if latest.evidence else ""
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"{_MARKS[Answer.YES]} *{escape(status.item.title)}*: "
                    f"{_last_answered(status, tz)}{evidence}"
                )
            )
        )
    if deal.close_date is None:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"No close date yet, so no reminder before it closes: "
                        f"`/qualify {escape(deal.name)} details` sets one."
                    )
                ]
            )
        )
    blocks.append(_open_buttons(deal))
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    return clip(f"{deal.name}: {line}", 300), to_dicts(blocks)


def did_you_mean(
    name: str,
    suggestions: Sequence[Deal],
    *,
    mode: str,
    today: date,
    framework: str | None = None,
) -> Message:
    """An unknown deal name close to existing ones: pick one, or create the new one."""
    chosen = {"mode": mode, "framework": framework} if framework else {"mode": mode}
    names = " or ".join(f"*{escape(deal.name)}*" for deal in suggestions)
    text = f"I don't have a deal called {escape(name)}. Did you mean {names}?"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    for number, deal in enumerate(suggestions):
        facts = _deal_facts(deal, today)
        blocks.append(
            SectionBlock(
                block_id=choice(number),
                text=MarkdownTextObject(
                    text=f"*{escape(deal.name)}*" + (f"\n{facts}" if facts else "")
                ),
                accessory=ButtonElement(
                    text=clip(f"Use {deal.name}", 75),
                    action_id=Action.QUALIFY_PICK_DEAL.value,
                    value=json.dumps({"deal_id": deal.id, **chosen}),
                ),
            )
        )
    blocks.append(
        SectionBlock(
            block_id=choice("new"),
            text=MarkdownTextObject(text=f"Or is *{escape(name)}* a new deal?"),
            accessory=ButtonElement(
                text="Create it",
                action_id=Action.QUALIFY_NEW_DEAL.value,
                value=json.dumps({"name": name, **chosen}),
            ),
        )
    )
    return text, to_dicts(blocks)


def gap_nudge(standing: Standing, *, today: date) -> Message:
    """To the deal's owner as the close date nears: the open items and what to ask."""
    deal = standing.deal
    assert deal.close_date is not None
    gaps = standing.gaps
    days = (deal.close_date - today).days
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    text = (
        f"{deal.name} is set to close {when} ({deal.close_date:%a %d %b}), and "
        f"{len(gaps)} of {len(standing.items)} checklist items are still open."
    )
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f":bell: {escape(text)} A question or two on your next call could settle them:"
            )
        ),
        *_gap_sections(gaps[:NUDGE_GAPS_SHOWN]),
    ]
    more = len(gaps) - NUDGE_GAPS_SHOWN
    if more > 0:
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=f"…and {more} more; the checklist has them all.")]
            )
        )
    blocks.append(_open_buttons(deal))
    return clip(text, 300), to_dicts(blocks)


def _gap_sections(gaps: Sequence[ItemStatus]) -> list[Block]:
    """A section per open item (each stays well under Slack's 3,000 characters)."""
    return [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"• *{escape(status.item.title)}* ({status.answer_words}): "
                f"“{escape(status.item.question)}”"
            )
        )
        for status in gaps
    ]


def saved_line(standing: Standing, *, written: int) -> str:
    """What someone sees after saving: how it stands, and where a walk would pick up."""
    deal = escape(standing.deal.name)
    saved = (
        f"Saved {written} answer{'s' if written != 1 else ''} for *{deal}*"
        if written
        else f"Nothing changed on *{deal}*"
    )
    line = f"{saved}: {rules.summary_line(standing.items)}."
    unanswered = [status for status in standing.items if status.answer is None]
    if unanswered:
        line += (
            f" `/qualify {deal}` picks up at *{escape(unanswered[0].item.title)}*; "
            f"`/qualify {deal} summary` shows the gaps."
        )
    return line


def deal_saved_line(deal: Deal, *, created: bool, today: date) -> str:
    verb = "Added" if created else "Updated"
    facts = _deal_facts(deal, today)
    return f"{verb} *{escape(deal.name)}*" + (f" ({facts})." if facts else ".")


def _modal(
    callback: Callback,
    modal_title: str,
    submit: str | None,
    blocks: list[Block],
    private_metadata: Metadata,
    *,
    close: str = "Close",
) -> dict[str, object]:
    return modal(callback, modal_title, submit, blocks, private_metadata, close=close)


HELP_TEXT = (
    "*Walk a deal's qualification checklist*\n"
    "• `/qualify Acme Corp` — one item at a time; close it any time, and next time it picks "
    "up where you stopped\n"
    "• `/qualify Acme Corp all` — every item in one form\n"
    "• `/qualify Acme Corp summary` — the score, the gaps and a question for each\n"
    "• `/qualify Acme Corp details` — owner, amount and close date\n"
    "• `/qualify Acme Corp using meddpicc` — judge the deal by another framework"
)
