"""Every action_id, callback_id and block_id the bot uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    HANDOFF_ACCEPT = "handoff_accept"
    HANDOFF_DECLINE = "handoff_decline"
    HANDOFF_ASK_DETAIL = "handoff_ask_detail"
    HANDOFF_ANSWER_DETAIL = "handoff_answer_detail"
    HANDOFF_RESOLVE = "handoff_resolve"
    HANDOFF_REASSIGN = "handoff_reassign"


class Callback(StrEnum):
    HANDOFF_NEW = "handoff_new"
    HANDOFF_DECLINE = "handoff_decline"
    HANDOFF_ASK_DETAIL = "handoff_ask_detail"
    HANDOFF_ANSWER_DETAIL = "handoff_answer_detail"
    HANDOFF_REASSIGN = "handoff_reassign"


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
