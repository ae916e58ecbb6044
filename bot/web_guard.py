"""The gate in front of Bolt: only well-formed, signed Slack requests get through.

Bolt parses a body before its own signature check and answers a parse failure with a
500 and a traceback. This WSGI middleware checks every POST first: 401 when the
signature is missing, wrong or stale, 400 when it is signed but not a shape Slack sends,
each with one log line that names what was wrong. Nothing it refuses reaches a listener.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("dealcoach.web")

MAX_BODY = 1_000_000  # Slack's largest payloads (a full modal's state) are far below this
MAX_AGE = 5 * 60  # Slack's replay window
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
INTERACTIONS = {
    "block_actions",
    "block_suggestion",
    "view_submission",
    "view_closed",
    "shortcut",
    "message_action",
    "interactive_message",
    "dialog_submission",
    "dialog_suggestion",
    "dialog_cancellation",
    "workflow_step_edit",
}
EVENTS = {"event_callback", "url_verification", "app_rate_limited"}


class Refused(Exception):
    """The request is refused with ``status``; the message names what was wrong."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_signature(
    signing_secret: str, body: bytes, headers: Mapping[str, str], now: float
) -> None:
    """Slack's v0 HMAC-SHA256 over the raw bytes, within five minutes of ``now``."""
    stamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not stamp or not signature:
        raise Refused(401, "unsigned: no X-Slack-Signature or X-Slack-Request-Timestamp")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise Refused(401, "unsigned: the timestamp is not a number")
    if abs(now - int(stamp)) > MAX_AGE:
        raise Refused(401, "stale: the timestamp is more than five minutes away")
    digest = hmac.new(
        signing_secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(f"v0={digest}".encode(), signature.encode("utf-8", "replace")):
        raise Refused(401, "forged: the signature does not match")


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Refused(400, f"malformed: {what} is not a JSON object")
    return value


def _text(container: Mapping[str, Any], key: str, what: str) -> str:
    value = container.get(key)
    if not isinstance(value, str) or not value:
        raise Refused(400, f"malformed: {what} has no {key}")
    return value


def _json(text: str, what: str) -> dict[str, Any]:
    try:
        loaded = json.loads(text)
    except ValueError:
        raise Refused(400, f"malformed: {what} is not valid JSON") from None
    return _object(loaded, what)


def check_event(body: dict[str, Any]) -> None:
    kind = _text(body, "type", "the event body")
    if kind not in EVENTS:
        raise Refused(400, f"malformed: unknown event body type {kind[:40]!r}")
    if kind == "url_verification":
        _text(body, "challenge", "url_verification")
    elif kind == "event_callback":
        _text(body, "event_id", "event_callback")
        _text(body, "team_id", "event_callback")
        event = _object(body.get("event"), "the event")
        _text(event, "type", "the event")


def check_interaction(payload: dict[str, Any]) -> None:
    kind = _text(payload, "type", "payload")
    if kind not in INTERACTIONS:
        raise Refused(400, f"malformed: unknown interaction type {kind[:40]!r}")
    _text(_object(payload.get("user"), "payload.user"), "id", "payload.user")
    if payload.get("team") is not None:
        _object(payload["team"], "payload.team")
    if kind == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            raise Refused(400, "malformed: block_actions without actions")
        for action in actions:
            _text(_object(action, "an action"), "action_id", "an action")
    elif kind in {"view_submission", "view_closed"}:
        view = _object(payload.get("view"), "payload.view")
        _text(view, "id", "payload.view")
        if not isinstance(view.get("callback_id", ""), str):
            raise Refused(400, "malformed: payload.view.callback_id is not text")
        state = view.get("state")
        if state is not None:
            _object(_object(state, "view.state").get("values", {}), "view.state.values")
    elif kind == "block_suggestion":
        _text(payload, "action_id", "block_suggestion")


def check_form(body: str) -> None:
    try:
        fields = parse_qs(body, keep_blank_values=True, strict_parsing=bool(body))
    except ValueError:
        raise Refused(400, "malformed: the form body does not parse") from None
    if any(len(values) != 1 for values in fields.values()):
        raise Refused(400, "malformed: a form field is repeated")
    form = {key: values[0] for key, values in fields.items()}
    if "payload" in form:
        check_interaction(_json(form["payload"], "payload"))
    elif form.get("ssl_check") == "1":
        return
    else:
        command = _text(form, "command", "the slash command")
        if not command.startswith("/"):
            raise Refused(400, "malformed: the command does not start with /")
        for key in ("user_id", "team_id", "trigger_id"):
            _text(form, key, "the slash command")


def check_body(body: bytes, content_type: str) -> None:
    """400 unless ``body`` is a shape Slack sends with this content type."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "malformed: the body is not UTF-8") from None
    media = content_type.split(";", 1)[0].strip().lower()
    if media == JSON:
        check_event(_json(text, "the JSON body"))
    elif media == FORM:
        check_form(text)
    else:
        raise Refused(400, f"malformed: content type {media[:60]!r} is not form or JSON")


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    headers["content-type"] = str(environ.get("CONTENT_TYPE") or "")
    return headers


def _read_body(environ: WSGIEnvironment) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refused(400, "malformed: Content-Length is not a number") from None
    if length < 0 or length > MAX_BODY:
        raise Refused(400, f"malformed: a body of {length} bytes is not one Slack sends")
    body: bytes = environ["wsgi.input"].read(length) if length else b""
    return body


def guard(
    application: WSGIApplication,
    *,
    signing_secret: str,
    now: Callable[[], float] = time.time,
    on_refused: Callable[[int], None] = lambda _status: None,
) -> WSGIApplication:
    """Wrap Bolt's WSGI handler: refuse what is not a signed, well-formed Slack request.

    ``on_refused(status)`` is told of each refusal (the metrics count them)."""

    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return application(environ, start_response)
        headers = _headers(environ)
        try:
            body = _read_body(environ)
            check_signature(signing_secret, body, headers, now())
            check_body(body, headers["content-type"])
        except Refused as refused:
            on_refused(refused.status)
            log.warning(
                "request refused at the edge",
                extra={
                    "status": refused.status,
                    "reason": refused.reason,
                    "path": environ.get("PATH_INFO"),
                },
            )
            answer = json.dumps({"error": refused.reason}).encode()
            start_response(
                f"{refused.status} {'Unauthorized' if refused.status == 401 else 'Bad Request'}",
                [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))],
            )
            return [answer]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return application(environ, start_response)

    return guarded
