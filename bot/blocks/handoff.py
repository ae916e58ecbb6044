"""Block Kit for handoffs: the modal, the SE's card, the rep's confirmation, lists and nudges.

Pure functions: data in, Slack JSON out. Every builder validates with slack_sdk's models.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    PlainTextInputElement,
    SectionBlock,
    UserSelectElement,
)

from bot.blocks import routing as routing_blocks
from bot.blocks.common import Blocks, clip, escape, mention, modal, quote, to_dicts
from bot.blocks.crm import crm_fact
from bot.blocks.deals import deal_field
from bot.coaching.expert_trap import ExpertTrap, format_money, format_ratio
from bot.db.models import Handoff, HandoffEvent, HandoffEventKind, HandoffState
from bot.domain.deal_context import DealContext
from bot.services.deals import DealOption
from bot.slack.ids import Action, Callback, Field, PerItem, per_item
from bot.slack.metadata import HandoffReply, NewHandoff

Message = tuple[str, Blocks]
"""A message: its notification text and its blocks."""

_STATE_WORDS = {
    HandoffState.OPEN: "Open, waiting for the SE to accept",
    HandoffState.ACCEPTED: "Accepted",
    HandoffState.DECLINED: "Declined",
    HandoffState.RESOLVED: "Resolved",
}


def title(handoff: Handoff) -> str:
    return clip(f"Handoff #{handoff.id} · {handoff.deal.name}", 150)


def trap_lines(trap: ExpertTrap) -> str:
    """The expert-trap figures in two short sentences."""
    cost = format_money(trap.opportunity_cost)
    hours = f"{trap.hours:g}h"
    first = f"Doing this yourself: about {hours}, roughly {cost} of selling time."
    if trap.roi is None or trap.deal_value is None:
        return f"{first} This handoff keeps that time for selling."
    ratio = format_ratio(trap.roi)
    value = format_money(trap.deal_value)
    bar = format_ratio(trap.threshold)
    if trap.worth_doing_yourself:
        return (
            f"{first} Fixing it returns {value}, {ratio} on your time, above the {bar} bar; "
            "even so, the SE has it now and your calendar stays on selling."
        )
    return (
        f"{first} Fixing it returns {value}, only {ratio} on your time (below the {bar} bar), "
        f"so handing it off saves about {cost} of selling."
    )


def _facts(handoff: Handoff) -> str:
    parts = [f"*From* {mention(handoff.rep.slack_user_id)}"]
    parts.append(f"*To* {mention(handoff.assignee.slack_user_id)}")
    if handoff.deadline is not None:
        parts.append(f"*Deadline* {handoff.deadline:%a %d %b %Y}")
    if handoff.deal_value is not None:
        parts.append(f"*Deal value* {format_money(handoff.deal_value)}")
    if (crm := crm_fact(handoff.deal)) is not None:
        parts.append(crm)
    return " · ".join(parts)


def _details(handoff: Handoff) -> list[Block]:
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=_facts(handoff))),
        SectionBlock(
            text=MarkdownTextObject(text="*The customer's problem*\n" + quote(handoff.problem))
        ),
    ]
    for label, text in (
        ("Business impact", handoff.business_impact),
        ("What was tried", handoff.tried),
    ):
        if text:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{label}*\n" + quote(text))))
    return blocks


def _button(text: str, action: Action, handoff: Handoff, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=text, action_id=action.value, value=str(handoff.id), style=style)


def _actions(handoff: Handoff) -> list[Block]:
    if handoff.state is HandoffState.OPEN:
        buttons = [
            _button("Accept", Action.HANDOFF_ACCEPT, handoff, "primary"),
            _button("Ask for detail", Action.HANDOFF_ASK_DETAIL, handoff),
            _button("Decline", Action.HANDOFF_DECLINE, handoff, "danger"),
        ]
    elif handoff.state is HandoffState.ACCEPTED:
        buttons = [
            _button("Mark resolved", Action.HANDOFF_RESOLVE, handoff, "primary"),
            _button("Ask for detail", Action.HANDOFF_ASK_DETAIL, handoff),
            _button("Reassign", Action.HANDOFF_REASSIGN, handoff),
        ]
    else:
        return []
    return [ActionsBlock(block_id=per_item(PerItem.HANDOFF_ACTIONS, handoff.id), elements=buttons)]


def _deal_context(context: DealContext) -> list[Block]:
    blocks: list[Block] = []
    if context.paraphrase:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="*The customer's problem, as confirmed on this deal*\n"
                    + quote(context.paraphrase)
                )
            )
        )
    if context.gaps:
        lines = "\n".join(f"• {escape(gap)}" for gap in context.gaps[:10])
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*Open qualification gaps on this deal*\n{clip(lines, 2500)}"
                )
            )
        )
    return blocks


_EVENT_WORDS = {
    HandoffEventKind.OPENED: "opened",
    HandoffEventKind.ACCEPTED: "accepted",
    HandoffEventKind.DECLINED: "declined",
    HandoffEventKind.RESOLVED: "resolved",
    HandoffEventKind.REASSIGNED: "reassigned",
    HandoffEventKind.DETAIL_REQUESTED: "asked for detail",
    HandoffEventKind.DETAIL_GIVEN: "answered",
    HandoffEventKind.NUDGED: "nudge sent",
    HandoffEventKind.ESCALATED: "escalated",
    HandoffEventKind.DEADLINE_PASSED: "deadline reminder sent",
    HandoffEventKind.SNOOZED: "snoozed",
}


def history_lines(events: Sequence[HandoffEvent], tz: tzinfo, *, last: int = 8) -> tuple[str, ...]:
    """The audit trail as short mrkdwn lines in ``tz``, newest last (for the card)."""
    lines = []
    for event in events[-last:]:
        who = f" by {mention(event.actor.slack_user_id)}" if event.actor is not None else ""
        what = _EVENT_WORDS.get(event.kind, event.kind.value)
        detail = ""
        if event.kind in {HandoffEventKind.SNOOZED, HandoffEventKind.DECLINED} and event.detail:
            detail = f" ({escape(clip(event.detail.split(': ', 1)[-1], 120))})"
        lines.append(f"{event.at.astimezone(tz):%a %d %b %H:%M} · {what}{who}{detail}")
    return tuple(lines)


def _history(context: DealContext) -> list[Block]:
    if len(context.history) < 2:  # "opened" alone says nothing new
        return []
    lines = "\n".join(history_lines(context.history, context.time_zone))
    return [ContextBlock(elements=[MarkdownTextObject(text=clip("*History*\n" + lines, 2900))])]


def assignee_card(handoff: Handoff, context: DealContext | None = None) -> Message:
    """The SE's card: the problem in business terms, the deal's context, and the buttons."""
    status = _STATE_WORDS[handoff.state]
    blocks: list[Block] = [
        HeaderBlock(text=title(handoff)),
        *_details(handoff),
        *routing_blocks.on_card(handoff.routing_reason, (context or DealContext()).product_area),
        *_deal_context(context or DealContext()),
        ContextBlock(elements=[MarkdownTextObject(text=f"Status: *{status}*")]),
        *_history(context or DealContext()),
        *_actions(handoff),
    ]
    text = (
        f"{handoff.rep.display_name or 'A rep'} handed you a technical problem on "
        f"{handoff.deal.name}"
    )
    return clip(text, 300), to_dicts(blocks)


def reassigned_card(handoff: Handoff, line: str) -> Message:
    """What the previous SE's card turns into once the handoff moved on."""
    blocks: list[Block] = [
        HeaderBlock(text=title(handoff)),
        SectionBlock(text=MarkdownTextObject(text=line)),
    ]
    return line, to_dicts(blocks)


def rep_confirmation(handoff: Handoff, trap: ExpertTrap) -> Message:
    """What the rep sees once the handoff exists: who has it, and what it saved."""
    se = mention(handoff.assignee.slack_user_id)
    text = f"Handoff #{handoff.id} for {escape(handoff.deal.name)} is with {se}."
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f":handshake: {text} I'll tell you when they accept, and "
                + _nudge_line(handoff)
            )
        ),
        ContextBlock(elements=[MarkdownTextObject(text=trap_lines(trap))]),
    ]
    return text, to_dicts(blocks)


def _nudge_line(handoff: Handoff) -> str:
    """The promise of nudges, or why there will be none: the CRM says the deal is closed."""
    deal = handoff.deal
    if deal.crm_deleted_at is not None:
        return "since the CRM no longer has this deal, I won't send reminders about it."
    if deal.crm_status in ("won", "lost"):
        return (
            f"since the CRM marks this deal as {deal.crm_status}, I won't send reminders about it."
        )
    return "nudge them if it sits too long."


def update_line(handoff: Handoff, actor_slack_id: str, what: str) -> str:
    """One line for the card's thread and the rep's DM about a change."""
    return f"{mention(actor_slack_id)} {what} handoff #{handoff.id} ({escape(handoff.deal.name)})."


def detail_question(handoff: Handoff, asker_slack_id: str, question: str) -> Message:
    """To the rep: the SE needs something; a button opens the reply form."""
    text = f"{mention(asker_slack_id)} has a question on handoff #{handoff.id}"
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"{text} ({escape(handoff.deal.name)}):\n{quote(question)}"
            )
        ),
        ActionsBlock(
            block_id=per_item(PerItem.HANDOFF_DETAIL, handoff.id),
            elements=[_button("Reply", Action.HANDOFF_ANSWER_DETAIL, handoff, "primary")],
        ),
    ]
    return text, to_dicts(blocks)


def handoff_list(as_rep: Sequence[Handoff], as_se: Sequence[Handoff], *, now: datetime) -> Message:
    """`/handoff list`: my open handoffs as the rep and as the SE."""
    text, blocks = list_blocks(as_rep, as_se, now=now)
    return text, to_dicts(blocks)


def list_blocks(
    as_rep: Sequence[Handoff], as_se: Sequence[Handoff], *, now: datetime
) -> tuple[str, list[Block]]:
    """The blocks of :func:`handoff_list`, for surfaces that add their own around them."""
    if not as_rep and not as_se:
        text = "You have no open handoffs. `/handoff @se Deal: problem` starts one."
        return text, [SectionBlock(text=MarkdownTextObject(text=text))]
    blocks: list[Block] = []
    for heading, handoffs, other in (
        ("Handed off by you", as_rep, "assignee"),
        ("Assigned to you", as_se, "rep"),
    ):
        if not handoffs:
            continue
        blocks.append(HeaderBlock(text=heading))
        for handoff in handoffs[:20]:
            person = handoff.assignee if other == "assignee" else handoff.rep
            age = _age(now - handoff.created_at)
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(
                        text=f"*#{handoff.id} {escape(handoff.deal.name)}* · "
                        f"{handoff.state.value} · {mention(person.slack_user_id)} · {age}\n"
                        + clip(escape(handoff.problem), 200)
                    )
                )
            )
        if len(handoffs) > 20:
            blocks.append(
                ContextBlock(elements=[MarkdownTextObject(text=f"…and {len(handoffs) - 20} more.")])
            )
    text = f"{len(as_rep)} open as rep, {len(as_se)} open as SE"
    return text, blocks


def _age(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 3600:
        return f"{max(seconds // 60, 1)}m old"
    if seconds < 86400:
        return f"{seconds // 3600}h old"
    return f"{seconds // 86400}d old"


def acknowledge_nudge(handoff: Handoff, *, business_hours: float, again: bool = False) -> Message:
    """To the SE, in the card's thread: a kind reminder with the same buttons."""
    rep = mention(handoff.rep.slack_user_id)
    opening = "Checking in again" if again else "A gentle nudge"
    text = (
        f"{opening}: {rep} has been waiting about {business_hours:g} business hours on "
        f"handoff #{handoff.id} ({escape(handoff.deal.name)}). Accepting it, or asking one "
        "question, lets them plan their next step with the customer."
    )
    return text, to_dicts([SectionBlock(text=MarkdownTextObject(text=text)), *_actions(handoff)])


def escalation_for_manager(
    handoff: Handoff, *, business_hours: float, suggest_reassign: bool = False
) -> Message:
    se = mention(handoff.assignee.slack_user_id)
    rep = mention(handoff.rep.slack_user_id)
    ask = (
        f"It may be time to pass it to another SE; {se} may simply be swamped."
        if suggest_reassign
        else f"Could you check whether {se} has room, or pass it to someone who does?"
    )
    text = (
        f"Handoff #{handoff.id} ({escape(handoff.deal.name)}) from {rep} to {se} has not "
        f"been accepted after {business_hours:g} business hours. {ask}"
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        SectionBlock(
            text=MarkdownTextObject(text="*The customer's problem*\n" + quote(handoff.problem))
        ),
        ActionsBlock(
            block_id=per_item(PerItem.HANDOFF_ESCALATION, handoff.id),
            elements=[_button("Reassign", Action.HANDOFF_REASSIGN, handoff, "primary")],
        ),
    ]
    return text, to_dicts(blocks)


def escalation_for_rep(handoff: Handoff, *, managers: Sequence[str]) -> Message:
    se = mention(handoff.assignee.slack_user_id)
    told = ", ".join(mention(m) for m in managers) or "the SE managers"
    text = (
        f"{se} hasn't picked up handoff #{handoff.id} ({escape(handoff.deal.name)}) yet, "
        f"so I've asked {told} to help. If the customer's timing changed, "
        "a line in reply to the SE's question helps them prioritise."
    )
    return text, to_dicts([SectionBlock(text=MarkdownTextObject(text=text))])


def deadline_nudge(handoff: Handoff) -> Message:
    assert handoff.deadline is not None
    rep = mention(handoff.rep.slack_user_id)
    text = (
        f"Handoff #{handoff.id} ({escape(handoff.deal.name)}) was due "
        f"{handoff.deadline:%a %d %b}. If it's done, mark it resolved; if not, a quick note "
        f"to {rep} lets them reset the customer's expectations."
    )
    return text, to_dicts([SectionBlock(text=MarkdownTextObject(text=text)), *_actions(handoff)])


# --- modals -------------------------------------------------------------------------------


def _text_input(
    field: Field,
    label: str,
    *,
    placeholder: str,
    initial: str | None = None,
    multiline: bool = False,
    optional: bool = False,
    max_length: int = 2000,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=field.value,
        label=label,
        optional=optional,
        hint=hint,
        element=PlainTextInputElement(
            action_id=field.value,
            placeholder=placeholder,
            initial_value=initial or None,
            multiline=multiline,
            max_length=max_length,
        ),
    )


def _number_input(
    field: Field, label: str, *, placeholder: str, initial: float | None, decimal: bool, hint: str
) -> InputBlock:
    return InputBlock(
        block_id=field.value,
        label=label,
        optional=True,
        hint=hint,
        element=NumberInputElement(
            action_id=field.value,
            is_decimal_allowed=decimal,
            min_value=0,
            placeholder=placeholder,
            initial_value=None if initial is None else f"{initial:g}",
        ),
    )


def _deal_input(deal: str | None, deal_id: int | None) -> Block:
    """The deal typeahead, filled in when the deal is known."""
    initial = DealOption(deal_id, deal) if deal_id is not None and deal else None
    parsed = Block.parse(deal_field(initial=initial))
    assert parsed is not None  # deal_field always builds a valid input block
    return parsed


def new_handoff_modal(
    *,
    private_metadata: NewHandoff,
    deal: str | None = None,
    deal_id: int | None = None,
    problem: str | None = None,
    assignee: str | None = None,
    deadline: date | None = None,
    product_area: Block | None = None,
) -> dict[str, object]:
    """The full form: everything an SE needs to pick the problem up without a meeting.

    ``product_area`` is the routing select (:func:`bot.blocks.routing.product_area_block`).
    """
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="Give the SE the customer's view: the problem in their words, why it "
                "matters to the business, and what was tried."
            )
        ),
        _deal_input(deal, deal_id),
        _text_input(
            Field.PROBLEM,
            "The customer's problem, in their words",
            placeholder="SSO with Okta fails for our EU users",
            initial=problem,
            multiline=True,
        ),
        _text_input(
            Field.BUSINESS_IMPACT,
            "Business impact",
            placeholder="200 EU staff can't log in; the pilot review is on Friday",
            multiline=True,
            optional=True,
        ),
        _text_input(
            Field.TRIED,
            "What was tried",
            placeholder="Re-uploaded the SAML metadata; same error",
            multiline=True,
            optional=True,
        ),
        InputBlock(
            block_id=Field.DEADLINE.value,
            label="Deadline",
            optional=True,
            element=DatePickerElement(
                action_id=Field.DEADLINE.value,
                initial_date=deadline.isoformat() if deadline else None,
                placeholder="When the customer needs it",
            ),
        ),
        InputBlock(
            block_id=Field.DEAL_VALUE.value,
            label="Deal value at stake",
            optional=True,
            hint="What solving this returns, as you'd write it: 40000, $40,000, 40k or 1.2M.",
            element=PlainTextInputElement(
                action_id=Field.DEAL_VALUE.value, placeholder="40k", max_length=40
            ),
        ),
        _number_input(
            Field.REP_HOURS,
            "Hours it would take you",
            placeholder="8",
            initial=None,
            decimal=True,
            hint="Used to show what handing it off saves you.",
        ),
        *([product_area] if product_area else []),
        InputBlock(
            block_id=Field.ASSIGNEE.value,
            label="Sales engineer",
            optional=True,
            hint="Leave empty to route it to the SE on your team who fits best.",
            element=UserSelectElement(
                action_id=Field.ASSIGNEE.value,
                placeholder="Automatic",
                initial_user=assignee,
            ),
        ),
    ]
    return modal(Callback.HANDOFF_NEW, "Hand off to an SE", "Hand off", blocks, private_metadata)


def reason_modal(handoff: Handoff, callback: Callback) -> dict[str, object]:
    """One-field forms on a handoff: decline reason, a question, an answer, a new SE."""
    spec: dict[Callback, tuple[str, str, Block]] = {
        Callback.HANDOFF_DECLINE: (
            "Decline handoff",
            "Decline",
            _text_input(
                Field.REASON,
                "Why can't you take it?",
                placeholder="Outside my product area; try the identity team",
                multiline=True,
            ),
        ),
        Callback.HANDOFF_ASK_DETAIL: (
            "Ask for detail",
            "Send question",
            _text_input(
                Field.QUESTION,
                "What do you need to know?",
                placeholder="Which IdP version, and does it fail for every EU user?",
                multiline=True,
            ),
        ),
        Callback.HANDOFF_ANSWER_DETAIL: (
            "Answer the SE",
            "Send answer",
            _text_input(Field.ANSWER, "Your answer", placeholder="", multiline=True),
        ),
        Callback.HANDOFF_REASSIGN: (
            "Reassign handoff",
            "Reassign",
            InputBlock(
                block_id=Field.ASSIGNEE.value,
                label="New sales engineer",
                element=UserSelectElement(action_id=Field.ASSIGNEE.value, placeholder="Pick an SE"),
            ),
        ),
    }
    modal_title, submit, field = spec[callback]
    context = SectionBlock(
        text=MarkdownTextObject(text=f"*{escape(title(handoff))}*\n" + quote(handoff.problem))
    )
    return modal(
        callback, modal_title, submit, [context, field], HandoffReply(handoff_id=handoff.id)
    )


HELP_TEXT = (
    "*Hand a technical problem to a sales engineer*\n"
    "• `/handoff @sam Acme Corp: SSO with Okta fails for EU users` — hand it off now\n"
    "• `/handoff` — open the full form (impact, what was tried, deadline, deal value)\n"
    "• `/handoff list` — your open handoffs, as rep and as SE\n"
    "Leave out the @name and I'll route it to the next SE on your team."
)
