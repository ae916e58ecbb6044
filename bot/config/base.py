"""What every config model shares: strict models, Slack user ids, time zone names."""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
)

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def _slack_user_id(value: str) -> str:
    if not _SLACK_USER_ID.match(value):
        raise ValueError(f"{value!r} is not a Slack user id (they look like U012ABCDEF)")
    return value


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Berlin") from None
    return value


SlackUserId = Annotated[str, AfterValidator(_slack_user_id)]


TimeZoneName = Annotated[str, AfterValidator(_time_zone)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
