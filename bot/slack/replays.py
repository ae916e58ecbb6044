"""A global Bolt middleware: a request whose trigger or event id was seen already is
answered at once ("already done" for a command) and never reaches a listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.deps import Deps
from bot.services import replays

log = logging.getLogger("dealcoach.replays")

ALREADY_DONE = "Already done: I got this one a moment ago, so I did not do it twice."
PRUNE_EVERY = 200


def request_key(body: dict[str, Any]) -> str | None:
    """``event:<event_id>`` or ``trigger:<trigger_id>``; None when Slack gives neither."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    if body.get("type") == "event_callback" and isinstance(body.get("event_id"), str):
        return f"event:{team}:{body['event_id']}"
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and trigger:
        return f"trigger:{team}:{trigger}"
    return None


class SkipReplays(Middleware):
    """Lets the first request with a key through; answers the rest without a listener."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._checked = 0

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        key = request_key(req.body)
        if key is None:
            return next()
        now = self.deps.clock.now()
        self._checked += 1
        with self.deps.transaction() as session:
            first = replays.first_time(session=session, key=key, now=now)
            if self._checked % PRUNE_EVERY == 0:
                replays.prune(session=session, now=now)
        if first:
            return next()
        retry = req.headers.get("x-slack-retry-num", [None])[0]
        log.info("replay answered without a second effect", extra={"key": key, "retry": retry})
        if "command" in req.body:
            return BoltResponse(
                status=200, body={"response_type": "ephemeral", "text": ALREADY_DONE}
            )
        return BoltResponse(status=200, body="")
