"""Every action_id, callback_id and block_id the bot uses, in one place."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.fields import HandoffField


class Action(StrEnum):
    HANDOFF_ACCEPT = "handoff_accept"
    HANDOFF_DECLINE = "handoff_decline"
    HANDOFF_ASK_DETAIL = "handoff_ask_detail"
    HANDOFF_ANSWER_DETAIL = "handoff_answer_detail"
    HANDOFF_RESOLVE = "handoff_resolve"
    HANDOFF_REASSIGN = "handoff_reassign"
    QUALIFY_BACK = "qualify_back"
    QUALIFY_NEXT = "qualify_next"
    QUALIFY_OPEN = "qualify_open"
    QUALIFY_PICK_DEAL = "qualify_pick_deal"
    QUALIFY_NEW_DEAL = "qualify_new_deal"
    SNOOZE_DAY = "snooze_day"
    SNOOZE_WEEK = "snooze_week"
    SNOOZE_UNTIL = "snooze_until"
    COACH_SETTINGS = "coach_settings"
    HOME_SHOW_MORE = "home_show_more"
    TIP_HELPFUL = "tip_helpful"
    TIP_NOT_HELPFUL = "tip_not_helpful"
    DEBRIEF_OPEN = "debrief_open"
    DEBRIEF_REVISE = "debrief_revise"
    DEBRIEF_SEND = "debrief_send"
    DEBRIEF_CONFIRM = "debrief_confirm"
    DEBRIEF_CORRECT = "debrief_correct"
    #: "Did you mean": use this deal, or create the name as typed, then run the pending command.
    DEAL_PICK = "deal_pick"
    DEAL_CREATE = "deal_create"
    DEAL_MERGE_CONFIRM = "deal_merge_confirm"
    DEAL_MERGE_CANCEL = "deal_merge_cancel"
    REPORT_FULL = "report_full"
    GAP_LINK = "gap_link"
    #: "Route this": a manager gives an unrouted handoff to one of the ranked SEs.
    ROUTE_ASSIGN = "route_assign"
    ROUTE_PICK_OTHER = "route_pick_other"


class Callback(StrEnum):
    HANDOFF_NEW = "handoff_new"
    HANDOFF_DECLINE = "handoff_decline"
    HANDOFF_ASK_DETAIL = "handoff_ask_detail"
    HANDOFF_ANSWER_DETAIL = "handoff_answer_detail"
    HANDOFF_REASSIGN = "handoff_reassign"
    #: Mark resolved from the card: a note and the optional product gap.
    HANDOFF_RESOLVE = "handoff_resolve"
    QUALIFY_WALK = "qualify_walk"
    QUALIFY_ALL = "qualify_all"
    QUALIFY_NEW_DEAL = "qualify_new_deal"
    QUALIFY_DEAL_DETAILS = "qualify_deal_details"
    SNOOZE_UNTIL = "snooze_until"
    COACH_SETTINGS = "coach_settings"
    DEBRIEF = "debrief"
    DEBRIEF_CORRECT = "debrief_correct"
    #: "Pick someone else" on a "route this" message: a manager names any SE.
    ROUTE_PICK = "route_pick"


class Field(StrEnum):
    """Input blocks: the block_id and the action_id of its element are both this value."""

    DEAL = HandoffField.DEAL.value
    PROBLEM = HandoffField.PROBLEM.value
    BUSINESS_IMPACT = HandoffField.BUSINESS_IMPACT.value
    TRIED = HandoffField.TRIED.value
    DEADLINE = HandoffField.DEADLINE.value
    DEAL_VALUE = HandoffField.DEAL_VALUE.value
    REP_HOURS = HandoffField.REP_HOURS.value
    ASSIGNEE = HandoffField.ASSIGNEE.value
    REASON = HandoffField.REASON.value
    QUESTION = HandoffField.QUESTION.value
    ANSWER = HandoffField.ANSWER.value
    NOTE = "note"
    #: Per checklist item: the block_id is this, a dot and the item's key.
    QUALIFY_ANSWER = "qualify_answer"
    QUALIFY_EVIDENCE = "qualify_evidence"
    DEAL_OWNER = "deal_owner"
    DEAL_AMOUNT = "deal_amount"
    CLOSE_DATE = "close_date"
    SNOOZE_UNTIL = "snooze_until"
    SNOOZE_REASON = "snooze_reason"
    WORK_START = "work_start"
    WORK_END = "work_end"
    WORK_DAYS = "work_days"
    DIGEST_AT = "digest_at"
    #: Managers only: the weekly team report on or off.
    WEEKLY_REPORT = "weekly_report"
    PARAPHRASE = "paraphrase"
    SE = "se"
    CORRECTION = "correction"
    #: The optional "product gap" part of the resolve and decline forms.
    GAP_AREA = "gap_area"
    GAP_AREA_OTHER = "gap_area_other"
    GAP_DESCRIPTION = "gap_description"
    GAP_WEIGHT = "gap_weight"
    PRODUCT_AREA = "product_area"
    #: The reassign form's ranked SEs (a select beside the free user picker).
    ROUTE_CANDIDATE = "route_candidate"
    #: A deal's territory or segment, on its details form (what routing matches).
    DEAL_TERRITORY = "territory"


class Block(StrEnum):
    """Other blocks we look for by id."""

    QUALIFY_NAV = "qualify_nav"
    QUALIFY_CHOICES = "qualify_choices"
    DEAL_CHOICES = "deal_choices"
    DEAL_MERGE = "deal_merge"
    #: The ranked SEs' buttons on a "route this" message.
    ROUTE_CANDIDATES = "route_candidates"


class PerItem(StrEnum):
    """Blocks repeated once per item: the id is the prefix, an underscore and the item's id
    (unique ids within a message, so two cards' buttons never clash)."""

    HANDOFF_ACTIONS = "handoff_actions"
    HANDOFF_DETAIL = "handoff_detail"
    HANDOFF_ESCALATION = "handoff_escalation"
    HOME_HANDOFF = "home_handoff"
    DEBRIEF_REVIEW = "debrief_review"
    DEBRIEF_CONFIRM = "debrief_confirm"
    DEBRIEF_REQUEST = "debrief_request"
    SNOOZE = "snooze"


def per_item(block: PerItem, item: object) -> str:
    """``per_item(PerItem.HANDOFF_ACTIONS, 12)`` → ``"handoff_actions_12"``."""
    return f"{block.value}_{item}"


def item_field(field: Field, item_key: str) -> str:
    """An input block per checklist item: a fresh id per item, so Slack never carries one
    item's typing over to the next when the view changes."""
    return f"{field.value}.{item_key}"


def tip_block(tip_id: str) -> str:
    """The block under one pre-call tip (its Helpful / Not helpful buttons)."""
    return f"tip.{tip_id}"


def choice(number: int | str) -> str:
    """One "did you mean" row's block (``number`` or ``"new"``)."""
    return f"{Block.QUALIFY_CHOICES.value}.{number}"


def route_assign(index: int) -> str:
    """One "route this" candidate button: action ids must differ within a block, so each is
    numbered; listeners match them all with :data:`ROUTE_ASSIGN_PATTERN`."""
    return f"{Action.ROUTE_ASSIGN.value}_{index}"


ROUTE_ASSIGN_PATTERN = re.compile(rf"^{Action.ROUTE_ASSIGN.value}_\d+$")
