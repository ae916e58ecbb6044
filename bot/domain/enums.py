"""Settings-free enums the models, the config and the services share."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    REP = "rep"
    SE = "se"
    SE_MANAGER = "se_manager"
    OTHER = "other"


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday is 0, as in :meth:`datetime.date.weekday`."""
        return _WEEKDAY_NUMBERS[self]


_WEEKDAY_NUMBERS = {day: number for number, day in enumerate(Weekday)}


class CallType(StrEnum):
    DISCOVERY = "discovery"
    DEMO = "demo"
    TECHNICAL = "technical"
    NEGOTIATION = "negotiation"


class DealSignal(StrEnum):
    """Something true of a deal before a call that makes a tip fit better."""

    QUALIFICATION_GAPS = "qualification_gaps"
    OPEN_HANDOFFS = "open_handoffs"
    NO_CONFIRMED_PROBLEM = "no_confirmed_problem"
    CONFIRMED_PROBLEM = "confirmed_problem"


TipRole = Literal["rep", "se"]
