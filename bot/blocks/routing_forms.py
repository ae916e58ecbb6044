"""Forms and replies routing adds: "pick someone else", reassign with the ranked SEs, a
deal's territory, and what `/coach away` and `/coach back` say back.

Pure functions: data in, Slack JSON out, validated with slack_sdk's models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)

from bot.blocks.common import clip, escape, modal, quote
from bot.blocks.routing import ranked_options
from bot.coaching.routing import Routed
from bot.slack.ids import Callback, Field
from bot.slack.metadata import HandoffReply, RoutePick

_PROBLEM_PREVIEW = 600
#: Slack's limits: option text 75 characters, options in a select 100.
_OPTION_TEXT = 75
_MAX_OPTIONS = 100


def pick_someone_modal(unrouted_id: int, deal_name: str, problem: str) -> dict[str, object]:
    """ "Pick someone else": any SE in the workspace, chosen by a manager."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{escape(clip(deal_name, 150))}*\n" + quote(clip(problem, _PROBLEM_PREVIEW))
            )
        ),
        InputBlock(
            block_id=Field.ASSIGNEE.value,
            label="Sales engineer",
            element=UserSelectElement(action_id=Field.ASSIGNEE.value, placeholder="Pick an SE"),
        ),
    ]
    return modal(
        Callback.ROUTE_PICK, "Route this handoff", "Assign", blocks, RoutePick(unrouted_id)
    )


def reassign_modal(
    *,
    handoff_id: int,
    title: str,
    problem: str,
    routed: Routed,
    names: Mapping[str, str],
    areas: Mapping[str, str],
) -> dict[str, object]:
    """Reassign: the ranked SEs first (best pre-selected), or anyone with the user picker."""
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"*{escape(title)}*\n" + quote(problem)))
    ]
    options = ranked_options(routed, names, areas)
    initial = routed.chosen.candidate.slack_user_id if routed.chosen else None
    if options:
        blocks.append(
            InputBlock(
                block_id=Field.ROUTE_CANDIDATE.value,
                label="Suggested SEs, best fit first",
                optional=True,
                element=StaticSelectElement(
                    action_id=Field.ROUTE_CANDIDATE.value,
                    placeholder="Pick a suggested SE",
                    options=options,
                    initial_option=next((o for o in options if o.value == initial), None),
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=Field.ASSIGNEE.value,
            label="Or someone else" if options else "New sales engineer",
            optional=bool(options),
            element=UserSelectElement(action_id=Field.ASSIGNEE.value, placeholder="Pick an SE"),
        )
    )
    return modal(
        Callback.HANDOFF_REASSIGN,
        "Reassign handoff",
        "Reassign",
        blocks,
        HandoffReply(handoff_id=handoff_id),
    )


def territory_block(territories: Sequence[str], *, initial: str | None) -> Block | None:
    """A deal's territory on its details form: the ones some SE covers (``None``: none set up)."""
    if not territories:
        return None
    options = [Option(value=t, text=clip(t, _OPTION_TEXT)) for t in territories[:_MAX_OPTIONS]]
    return InputBlock(
        block_id=Field.DEAL_TERRITORY.value,
        label="Territory or segment",
        optional=True,
        hint="Handoffs on this deal go first to SEs who cover it.",
        element=StaticSelectElement(
            action_id=Field.DEAL_TERRITORY.value,
            placeholder="Where it sells",
            options=options,
            initial_option=next((o for o in options if o.value == initial), None),
        ),
    )


def away_set(until: date, reason: str | None, tz_name: str) -> str:
    why = f" ({reason})" if reason else ""
    return (
        f"Got it: you're away through {until:%a} {until.day} {until:%b %Y}{why}, "
        f"in your time zone ({tz_name}). I won't route new handoffs to you until then; "
        "`/coach back` if you're back sooner."
    )


def back_reply(was_away: bool) -> str:
    if was_away:
        return "Welcome back! New handoffs can be routed to you again."
    return "You weren't marked away, so nothing changed. `/coach away until Friday` sets it."
