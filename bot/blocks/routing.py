"""Block Kit for routing: the "route this" message to SE managers, why-this-SE lines, and
the product-area and ranked-SE pickers for the handoff and reassign forms.

Pure functions: data in, Slack JSON out, validated with slack_sdk's models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.blocks.common import Blocks, clip, escape, mention, quote, to_dicts
from bot.coaching.routing import Ranked, Routed, area_names
from bot.slack.ids import Action, Field, route_assign
from bot.slack.ids import Block as BlockId

Message = tuple[str, Blocks]

#: Buttons on one "route this" message; more would bury the choice (Slack allows 25).
MAX_CANDIDATE_BUTTONS = 10
#: Slack's limits: button text 75 characters, option text 75, options in a select 100.
_BUTTON_TEXT = 75
_OPTION_TEXT = 75
_MAX_OPTIONS = 100
_PROBLEM_PREVIEW = 600


@dataclass(frozen=True)
class RouteRequest:
    """The handoff a manager is asked to route, as the message shows it."""

    #: What the buttons carry: the held request's id (the handoff is written at assignment).
    handoff_id: int
    deal_name: str
    problem: str
    rep_slack_id: str
    area_name: str | None = None
    territory: str | None = None


def choice_value(handoff_id: int, slack_user_id: str) -> str:
    """A candidate button's value: which handoff, which SE."""
    return f"{handoff_id}:{slack_user_id}"


def read_choice(value: str) -> tuple[int, str]:
    """The (handoff id, SE) a candidate button carries; ``ValueError`` when it is not one."""
    handoff_id, _, slack_user_id = value.partition(":")
    if not handoff_id.isdigit() or not slack_user_id:
        raise ValueError(f"not a route choice: {value!r}")
    return int(handoff_id), slack_user_id


def candidate_label(ranked: Ranked, names: Mapping[str, str], areas: Mapping[str, str]) -> str:
    """ "Ana · 2 open · SSO, API" (or "· away") in a button's or an option's few characters."""
    candidate = ranked.candidate
    name = names.get(candidate.slack_user_id) or candidate.slack_user_id
    if candidate.away is not None:
        state = "away"
    elif candidate.at_cap:
        state = f"{candidate.open_handoffs} open, at cap"
    else:
        state = f"{candidate.open_handoffs} open"
    covered = ", ".join(area_names(areas, candidate.areas)) or "no area set"
    return clip(f"{name} · {state} · {covered}", _BUTTON_TEXT)


def route_this(
    request: RouteRequest,
    routed: Routed,
    *,
    names: Mapping[str, str],
    areas: Mapping[str, str],
) -> Message:
    """To an SE manager: nobody fits this handoff; a button per ranked SE, and "someone else"."""
    text = f"A handoff on {request.deal_name} needs an SE: nobody fits right now"
    asked = " · ".join(
        part
        for part in (
            f"*Area* {escape(request.area_name)}" if request.area_name else None,
            f"*Territory* {escape(request.territory)}" if request.territory else None,
        )
        if part
    )
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=clip(
                    f"*Route this:* {mention(request.rep_slack_id)} handed off "
                    f"*{escape(request.deal_name)}* and no SE is free "
                    "to take it. Who should?" + (f"\n{asked}" if asked else ""),
                    2900,
                )
            )
        ),
        SectionBlock(text=MarkdownTextObject(text=quote(clip(request.problem, _PROBLEM_PREVIEW)))),
    ]
    why = why_nobody(routed)
    if why:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(why, 2900))]))
    buttons = [
        ButtonElement(
            text=candidate_label(ranked, names, areas),
            action_id=route_assign(index),
            value=choice_value(request.handoff_id, ranked.candidate.slack_user_id),
        )
        for index, ranked in enumerate(routed.ranked[:MAX_CANDIDATE_BUTTONS])
    ]
    buttons.append(
        ButtonElement(
            text="Pick someone else",
            action_id=Action.ROUTE_PICK_OTHER.value,
            value=str(request.handoff_id),
        )
    )
    blocks.append(ActionsBlock(block_id=BlockId.ROUTE_CANDIDATES.value, elements=buttons))
    return text, to_dicts(blocks)


def why_nobody(routed: Routed) -> str | None:
    """One line naming who was considered and why each is out, e.g. away or at their cap."""
    if routed.rule is None:
        return "No SE on the team covers this, and no routing rule offers anyone."
    out = [
        f"{mention(r.candidate.slack_user_id)} {r.unavailable}"
        for r in routed.ranked
        if r.rule is routed.rule and r.unavailable
    ]
    if not out:
        return None
    return "Considered: " + "; ".join(out) + "."


def routed_to_you(reason: str) -> dict[str, object]:
    """The line on the SE's card: why it came to them."""
    return _context(f"Routed to you: {escape(reason)}.")


def routed_to(assignee_slack_id: str, reason: str) -> dict[str, object]:
    """The line on the rep's confirmation: who has it and why."""
    return _context(f"Routed to {mention(assignee_slack_id)}: {escape(reason)}.")


def waiting_for_a_manager(managers: Sequence[str]) -> dict[str, object]:
    """The rep's confirmation when nobody fits: who will pick, and that the clock waits."""
    return _context(_waiting_text(managers))


def _waiting_text(managers: Sequence[str]) -> str:
    who = ", ".join(mention(m) for m in managers) or "your SE manager"
    return (
        f"No SE is free for this right now, so I asked {who} to pick one. "
        "The response-time clock starts once someone has it."
    )


def product_area_input(
    areas: Mapping[str, str], *, initial: str | None = None
) -> dict[str, object] | None:
    """The form's product-area select as JSON (see :func:`product_area_block`)."""
    block = product_area_block(areas, initial=initial)
    return to_dicts([block])[0] if block is not None else None


def product_area_block(areas: Mapping[str, str], *, initial: str | None = None) -> Block | None:
    """The form's product-area select, pre-filled with the area read from the problem.

    ``None`` when no areas are configured (the form then leaves the question out).
    """
    if not areas:
        return None
    options = [
        Option(value=key, text=clip(name, _OPTION_TEXT))
        for key, name in list(areas.items())[:_MAX_OPTIONS]
    ]
    chosen = next((option for option in options if option.value == initial), None)
    return InputBlock(
        block_id=Field.PRODUCT_AREA.value,
        label="Product area",
        optional=True,
        hint="Routing looks for an SE who covers it. Guessed from the problem; change it if wrong.",
        element=StaticSelectElement(
            action_id=Field.PRODUCT_AREA.value,
            placeholder="What is it about?",
            options=options,
            initial_option=chosen,
        ),
    )


def candidate_options(
    routed: Routed, *, names: Mapping[str, str], areas: Mapping[str, str]
) -> list[dict[str, object]]:
    """The ranked SEs as select options (best first) for reassigning: load and area on each."""
    return [option.to_dict() for option in ranked_options(routed, names, areas)]


def ranked_options(
    routed: Routed, names: Mapping[str, str], areas: Mapping[str, str]
) -> list[Option]:
    """The ranked SEs as select options, best first (at most Slack's 100)."""
    return [
        Option(
            value=ranked.candidate.slack_user_id,
            text=candidate_label(ranked, names, areas),
            description=clip(ranked.unavailable or ranked.explanation, _OPTION_TEXT),
        )
        for ranked in routed.ranked[:_MAX_OPTIONS]
    ]


def on_card(reason: str | None, area_name: str | None = None) -> list[Block]:
    """The SE card's product area and, when routing (not the rep) chose them, "Routed to you: …"."""
    parts = [f"*Product area* {escape(area_name)}" if area_name else None]
    parts.append(f"Routed to you: {escape(reason)}." if reason else None)
    text = " · ".join(part for part in parts if part)
    if not text:
        return []
    return [ContextBlock(elements=[MarkdownTextObject(text=clip(text, 2900))])]


def routed_by(assignee_slack_id: str, manager_slack_id: str) -> Message:
    """What a "route this" message turns into once a manager picked someone."""
    text = f"{mention(manager_slack_id)} routed it to {mention(assignee_slack_id)}."
    return text, to_dicts(
        [SectionBlock(text=MarkdownTextObject(text=f":white_check_mark: {text}"))]
    )


def waiting_reply(deal_name: str, managers: Sequence[str]) -> Message:
    """The rep's confirmation when the handoff waits for a manager to pick an SE."""
    text = f"Your handoff on {escape(deal_name)} is waiting for an SE manager to pick an SE."
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f":hourglass_flowing_sand: {text}")),
        ContextBlock(elements=[MarkdownTextObject(text=_waiting_text(managers))]),
    ]
    return text, to_dicts(blocks)


def _context(text: str) -> dict[str, object]:
    return to_dicts([ContextBlock(elements=[MarkdownTextObject(text=clip(text, 2900))])])[0]
