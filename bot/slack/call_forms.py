"""Reading `/precall` and `/debrief` text and the debrief modal, into typed input or errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.coaching import when, when_split
from bot.config import CallType
from bot.services import deals
from bot.services.paraphrases import DebriefDraft
from bot.slack import forms
from bot.slack.ids import Field
from bot.slack.metadata import Debrief

CALL_TYPES = " | ".join(call_type.value for call_type in CallType)
PRECALL_USAGE = (
    f"Write it as `/precall <deal> <when> [with @se] [{CALL_TYPES}]`, "
    "e.g. `/precall Acme Corp tomorrow 10am with @sam demo`."
)

_MENTION = re.compile(r"(?:\bwith\s+)?<@(?P<user>[UW][A-Z0-9]+)(?:\|[^>]*)?>", re.IGNORECASE)
_RAW_AT = re.compile(r"(?<![<\w])@(?P<name>[\w.-]+)")
_CANCEL = re.compile(r"^cancel\s+#?(?P<id>\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class PrecallHelp:
    pass


@dataclass(frozen=True)
class ListCalls:
    pass


@dataclass(frozen=True)
class TipFeedback:
    pass


@dataclass(frozen=True)
class CancelCall:
    call_id: int


@dataclass(frozen=True)
class ScheduleCall:
    deal: str
    starts_at: datetime
    call_type: CallType
    se: str | None
    #: How the time was read where it could be read two ways, to say back in the reply.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommandError:
    message: str


#: The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1

PrecallCommand = PrecallHelp | ListCalls | TipFeedback | CancelCall | ScheduleCall | CommandError


def parse_precall(
    text: str, *, now: datetime, tz: ZoneInfo, date_order: when.DateOrder = "month_first"
) -> PrecallCommand:
    """Read `/precall` text; ``<when>`` is read in ``tz``, the caller's own time zone.

    The deal name is everything before the time, so "Friday Foods fri 10am" is the deal
    "Friday Foods" at 10:00 on the next Friday.
    """
    text = text.strip()
    if not text or text.casefold() in {"help", "?"}:
        return PrecallHelp()
    if text.casefold() == "list":
        return ListCalls()
    if text.casefold() == "feedback":
        return TipFeedback()
    if cancel := _CANCEL.match(text):
        number = int(cancel.group("id"))
        if not 0 < number <= MAX_ID:
            return CommandError(
                f"There is no call #{cancel.group('id')[:20]}. `/precall list` shows your "
                "calls with their numbers; write e.g. `/precall cancel 12`."
            )
        return CancelCall(number)
    mentions = _MENTION.findall(text)
    if len(mentions) > 1:
        return CommandError(f"Name one SE with `with @se`. {PRECALL_USAGE}")
    se = mentions[0] if mentions else None
    text = _MENTION.sub(" ", text)
    if raw := _RAW_AT.search(text):
        return CommandError(
            f"I couldn't tell who @{raw.group('name')} is. Pick the person from Slack's "
            f"suggestions so it becomes a mention. {PRECALL_USAGE}"
        )
    tokens = text.split()
    call_type = CallType.DISCOVERY
    if len(tokens) > 1 and tokens[-1].casefold() in set(CallType):
        call_type = CallType(tokens.pop().casefold())
    try:
        found = when_split.split(" ".join(tokens), now=now, tz=tz, date_order=date_order)
        when.check(found.reading, now=now, tz=tz)
    except when.WhenProblem as problem:
        return CommandError(f"{problem} {PRECALL_USAGE}")
    except OverflowError:  # "in 9999999 days": past the calendar's end
        return CommandError(
            f"That moment is too far away; pick one in the next year. {PRECALL_USAGE}"
        )
    return ScheduleCall(
        deal=found.deal,
        starts_at=found.reading.at,
        call_type=call_type,
        se=se,
        notes=found.reading.notes,
    )


@dataclass(frozen=True)
class DebriefHelp:
    pass


@dataclass(frozen=True)
class DebriefForm:
    deal: str | None = None


def parse_debrief(text: str) -> DebriefHelp | DebriefForm | CommandError:
    text = text.strip()
    if text.casefold() in {"help", "?"}:
        return DebriefHelp()
    deal = text.strip(" :") or None
    if deal is not None and (refused := deals.check_name(deal)):
        return CommandError(f"{refused.message} Then `/debrief <deal>`, e.g. `/debrief Acme Corp`.")
    return DebriefForm(deal=deal)


def read_debrief_view(view: dict[str, Any]) -> DebriefDraft:
    values: dict[str, Any] = view.get("state", {}).get("values", {})
    deal_name, deal_id = forms.deal_value(values)
    return DebriefDraft(
        deal_name=deal_name,
        deal_id=deal_id,
        text=forms.text_value(values, Field.PARAPHRASE) or "",
        se_slack_id=forms.user_value(values, Field.SE),
        call_id=Debrief.of(view).call_id,
    )
