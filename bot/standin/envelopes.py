"""Socket Mode envelopes as Slack's documentation shows them, and the check of an app's ack."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]

ENVELOPE_TYPES = frozenset({"slash_commands", "interactive", "events_api"})
#: ``warning``: this connection closes soon; ``refresh_requested``: reconnect now;
#: ``link_disabled``: Socket Mode was turned off for the app.
DISCONNECT_REASONS = frozenset({"warning", "refresh_requested", "link_disabled"})
#: How long Slack waits for an envelope's acknowledgement.
ACK_SECONDS = 3.0
#: What an app may answer a slash command with, and a view submission with.
_COMMAND_ANSWER = frozenset({"text", "blocks", "attachments", "response_type", "thread_ts"})
_SUBMISSION_ANSWER = frozenset({"response_action", "errors", "view"})
_RESPONSE_ACTIONS = frozenset({"errors", "update", "push", "clear"})


@dataclass
class Envelope:
    """One envelope the stand-in sent, and what became of it."""

    envelope_id: str
    type: str
    payload: JsonDict
    accepts_response_payload: bool
    retry_attempt: int = 0
    retry_reason: str = ""
    #: The connection each attempt went out on, in order.
    sent_on: list[str] = field(default_factory=list)
    acks: int = 0
    ack_payload: JsonDict | None = None
    acked_after: float | None = None
    #: The connection closed before the ack (and the envelope was not sent again).
    lost: bool = False
    _sent_at: float = 0.0

    @property
    def acked(self) -> bool:
        return self.acks > 0

    def frame(self) -> JsonDict:
        """The message as it travels over the socket."""
        frame: JsonDict = {
            "envelope_id": self.envelope_id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api":
            frame["retry_attempt"] = self.retry_attempt
            frame["retry_reason"] = self.retry_reason
        return frame


def answer_problem(envelope: Envelope, answer: JsonDict) -> str | None:
    """What is wrong with an acknowledgement, in words; None when Slack would take it."""
    extra = set(answer) - {"envelope_id", "payload"}
    if extra:
        return f"unknown keys in an ack: {', '.join(sorted(extra))}"
    payload = answer.get("payload")
    if payload is None:
        return None
    kind = envelope.type
    if not envelope.accepts_response_payload:
        return f"{kind} envelope {envelope.envelope_id}: the ack has a payload; this takes none"
    if not isinstance(payload, dict):
        return f"the ack payload of a {kind} envelope is not an object"
    if kind == "slash_commands":
        unknown = set(payload) - _COMMAND_ANSWER
        if unknown:
            return f"a slash command answer with unknown keys: {', '.join(sorted(unknown))}"
    elif envelope.payload.get("type") == "view_submission":
        unknown = set(payload) - _SUBMISSION_ANSWER
        action = payload.get("response_action")
        if unknown or (payload and action not in _RESPONSE_ACTIONS):
            return f"a view submission answer Slack does not read: {json.dumps(payload)}"
        if action == "errors" and not isinstance(payload.get("errors"), dict):
            return "response_action errors without an errors object"
    return None
