"""The replay guard: a request whose trigger or event id was seen already has no second
effect, and Slack's answer never waits for the database to say so.

Two checks, one key (:func:`request_key`):

- :meth:`SkipReplays.process`, a global Bolt middleware, answers at once a request this
  process has seen ("already done" for a command) from memory; no listener runs;
- :meth:`SkipReplays.after_ack`, run by the ack path (``bot/slack/ack_first.py``) once
  Slack has its answer, records the key in the shared ``seen_request`` table, so a replay
  that reached another replica stops there, before its work; a command's person is then
  told privately that it was already done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.deps import Deps
from bot.services import replays
from bot.slack.messenger import reply_privately

log = logging.getLogger("dealcoach.replays")

ALREADY_DONE = "Already done: I got this one a moment ago, so I did not do it twice."
PRUNE_EVERY = 200
#: Keys one process remembers (a few MB at most), each for ``replays.KEEP_FOR``.
REMEMBERED = 20_000


def request_key(body: dict[str, Any]) -> str | None:
    """``event:<event_id>`` or ``trigger:<trigger_id>``; None when Slack gives neither."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    if body.get("type") == "event_callback" and isinstance(body.get("event_id"), str):
        return f"event:{team}:{body['event_id']}"
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and trigger:
        return f"trigger:{team}:{trigger}"
    return None


class RecentKeys:
    """Keys this process saw, each for ``keep_seconds``, at most ``size`` of them."""

    def __init__(self, *, size: int, keep_seconds: float) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size
        self._keep = keep_seconds

    def first(self, key: str) -> bool:
        """Remember ``key``; True when it was not remembered already."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and now - seen < self._keep:
                return False
            self._seen[key] = now
            self._seen.move_to_end(key)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True


class SkipReplays(Middleware):
    """Lets the first request with a key through; stops the rest (see the module)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._recent = RecentKeys(size=REMEMBERED, keep_seconds=replays.KEEP_FOR.total_seconds())
        self._checked = 0

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        key = request_key(req.body)
        if key is None or self._recent.first(key):
            return next()
        _log_replay(req, key)
        if "command" in req.body:
            return BoltResponse(
                status=200, body={"response_type": "ephemeral", "text": ALREADY_DONE}
            )
        return BoltResponse(status=200, body="")

    def after_ack(self, req: BoltRequest) -> bool:
        """Record the key for every replica; False (and the person told) when one of them
        had it already."""
        key = request_key(req.body)
        if key is None:
            return True
        now = self.deps.clock.now()
        self._checked += 1
        with self.deps.statements() as connection:
            first = replays.first_time(connection=connection, key=key, now=now)
            if self._checked % PRUNE_EVERY == 0:
                replays.prune(connection=connection, now=now)
        if first:
            return True
        _log_replay(req, key)
        response_url = req.body.get("response_url")
        if "command" in req.body and isinstance(response_url, str):
            client = req.context.client
            assert client is not None
            reply_privately(
                client,
                user_id=req.context.user_id or "",
                response_url=response_url,
                text=ALREADY_DONE,
            )
        return False


def _log_replay(req: BoltRequest, key: str) -> None:
    retry = req.headers.get("x-slack-retry-num", [None])[0]
    log.info("replay answered without a second effect", extra={"key": key, "retry": retry})
