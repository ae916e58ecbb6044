"""Every action_id, callback_id and block_id the bot uses, in one place."""

from __future__ import annotations

import re
from enum import StrEnum


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
    #: "Route this": a manager gives an unrouted handoff to one of the ranked SEs.
    ROUTE_ASSIGN = "route_assign"
    ROUTE_PICK_OTHER = "route_pick_other"


class Callback(StrEnum):
    HANDOFF_NEW = "handoff_new"
    HANDOFF_DECLINE = "handoff_decline"
    HANDOFF_ASK_DETAIL = "handoff_ask_detail"
    HANDOFF_ANSWER_DETAIL = "handoff_answer_detail"
    HANDOFF_REASSIGN = "handoff_reassign"
    QUALIFY_WALK = "qualify_walk"
    QUALIFY_ALL = "qualify_all"
    QUALIFY_NEW_DEAL = "qualify_new_deal"
    QUALIFY_DEAL_DETAILS = "qualify_deal_details"
    SNOOZE_UNTIL = "snooze_until"
    COACH_SETTINGS = "coach_settings"
    DEBRIEF = "debrief"
    DEBRIEF_CORRECT = "debrief_correct"


class Field(StrEnum):
    """Input blocks: the block_id and the action_id of its element are both this value."""

    DEAL = "deal"
    PROBLEM = "problem"
    BUSINESS_IMPACT = "business_impact"
    TRIED = "tried"
    DEADLINE = "deadline"
    DEAL_VALUE = "deal_value"
    REP_HOURS = "rep_hours"
    ASSIGNEE = "assignee"
    REASON = "reason"
    QUESTION = "question"
    ANSWER = "answer"
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
    PARAPHRASE = "paraphrase"
    SE = "se"
    CORRECTION = "correction"
    PRODUCT_AREA = "product_area"


class Block(StrEnum):
    """Other blocks we look for by id."""

    QUALIFY_NAV = "qualify_nav"
    QUALIFY_CHOICES = "qualify_choices"
    #: The ranked SEs' buttons on a "route this" message.
    ROUTE_CANDIDATES = "route_candidates"


def route_assign(index: int) -> str:
    """One "route this" candidate button: action ids must differ within a block, so each is
    numbered; listeners match them all with :data:`ROUTE_ASSIGN_PATTERN`."""
    return f"{Action.ROUTE_ASSIGN.value}_{index}"


ROUTE_ASSIGN_PATTERN = re.compile(rf"^{Action.ROUTE_ASSIGN.value}_\d+$")
