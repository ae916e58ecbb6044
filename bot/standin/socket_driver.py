"""Playing the people over Socket Mode: the same actions as over HTTP, sent as envelopes.

:class:`SocketModeDriver` builds every request exactly as :class:`SlackDriver` does and
hands it to the stand-in's Socket Mode server instead of POSTing it, so a test or the
shell written against one transport runs unchanged on the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from bot.standin.driver import Reply, SlackDriver
from bot.standin.server import SlackStandIn

JsonDict = dict[str, Any]

#: Interactions whose acknowledgement may carry an answer (errors, a new view, options).
_ANSWERED_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})
#: The reply when the app did not acknowledge (Slack then shows the person an error).
NOT_ACKNOWLEDGED = 408


def envelope_for(body: bytes) -> tuple[str, JsonDict, bool]:
    """(envelope type, payload, accepts_response_payload) for an HTTP-mode request body."""
    text = body.decode()
    if text.lstrip().startswith("{"):
        event: JsonDict = json.loads(text)
        return "events_api", event, False
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:
        interaction: JsonDict = json.loads(fields["payload"])
        return "interactive", interaction, interaction.get("type") in _ANSWERED_INTERACTIONS
    if "command" in fields:
        return "slash_commands", dict(fields), True
    raise ValueError("not a Slack request body: no event, interaction or slash command")


class SocketModeDriver(SlackDriver):
    """Sends what people do to the bot over the stand-in's Socket Mode connection.

    :meth:`post` returns once the app acknowledged the envelope; the reply's body is the
    acknowledgement's payload as HTTP mode would answer it (plain text for a text-only
    answer, JSON otherwise, empty without one), or status 408 when no ack came (three
    seconds of silence, or the connection closed first). Signing options and ``url`` are
    ignored: Socket Mode has no signature, and options requests come over the socket too.
    """

    def __init__(self, standin: SlackStandIn) -> None:
        super().__init__(standin, events_url="", signing_secret="")

    def post(
        self,
        body: bytes,
        *,
        signing_secret: str | None = None,
        timestamp: int | None = None,
        signed: bool = True,
        headers: Mapping[str, str] | None = None,
        url: str | None = None,
    ) -> Reply:
        kind, payload, accepts = envelope_for(body)
        envelope = self.standin.socket_mode.deliver(kind, payload, accepts_response_payload=accepts)
        if not envelope.acked:
            return Reply(NOT_ACKNOWLEDGED, "")
        answer = envelope.ack_payload
        if not answer:
            return Reply(200, "")
        if set(answer) == {"text"}:
            return Reply(200, str(answer["text"]))
        return Reply(200, json.dumps(answer, ensure_ascii=False))
