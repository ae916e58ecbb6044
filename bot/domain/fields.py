"""The fields a use case reports errors on. A form's input block carries the same id
(``slack/ids.py`` builds its ``Field`` values from these), so an error a service raises
lands under the field it is about without two modules agreeing on a bare string."""

from __future__ import annotations

from enum import StrEnum


class HandoffField(StrEnum):
    DEAL = "deal"
    PROBLEM = "problem"
    BUSINESS_IMPACT = "business_impact"
    TRIED = "tried"
    DEADLINE = "deadline"
    DEAL_VALUE = "deal_value"
    REP_HOURS = "rep_hours"
    ASSIGNEE = "assignee"
    #: The one-field replies on a card: decline, ask for detail, answer.
    REASON = "reason"
    QUESTION = "question"
    ANSWER = "answer"
