"""What Slack hears when the bot is full: "busy, try again in a minute", and nothing saved."""

from __future__ import annotations

import logging
import threading
import time

from slack_bolt import BoltRequest, BoltResponse

log = logging.getLogger("dealcoach.ack")

BUSY = "I'm busy with a lot of requests right now, so I saved nothing. Try again in a minute."


class BusyLog:
    """One warning for a busy spell, then one a minute with how many were turned away
    (under a flood, a line per request would be thousands a minute)."""

    EVERY_SECONDS = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = -self.EVERY_SECONDS
        self._count = 0

    def note(self, kind: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._count += 1
            if now - self._last < self.EVERY_SECONDS:
                return
            count, self._count, self._last = self._count, 0, now
        log.warning(
            "busy: requests answered 'try again in a minute' without running; raise "
            "WORK_PROCESSES or WORK_THREADS if this keeps happening",
            extra={"turned_away": count, "latest_kind": kind},
        )


def request_kind(request: BoltRequest) -> str:
    body = request.body
    return str(body.get("type") or ("slash_command" if "command" in body else "unknown"))


def busy_response(request: BoltRequest) -> BoltResponse:
    """What Slack gets when no listener can take the request now."""
    kind = request_kind(request)
    if kind == "slash_command":
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": BUSY})
    if kind == "view_submission":  # pushed on top: closing it brings the filled form back
        return BoltResponse(
            status=200,
            body={
                "response_action": "push",
                "view": {
                    "type": "modal",
                    "title": {"type": "plain_text", "text": "One moment"},
                    "close": {"type": "plain_text", "text": "Back to the form"},
                    "blocks": [
                        {
                            "type": "section",
                            "text": {
                                "type": "mrkdwn",
                                "text": "I'm busy with a lot of requests right now, so I "
                                "saved nothing. Go back to the form and submit it again "
                                "in a minute.",
                            },
                        }
                    ],
                },
            },
        )
    return BoltResponse(status=200, body="")
