"""Signed requests shaped like the ones Slack sends to an app's ``/slack/events``.

Slash commands come form-encoded, interactions as ``payload=<json>`` form bodies, events as
JSON; all carry ``X-Slack-Request-Timestamp`` and a ``v0=`` HMAC-SHA256 signature.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.standin.identity import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_USER_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_VERIFICATION_TOKEN,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_event_numbers = itertools.count(1)


def sign(
    signing_secret: str,
    body: bytes | str,
    timestamp: int | None = None,
    *,
    content_type: str | None = None,
) -> dict[str, str]:
    """Slack's request headers for ``body``: timestamp, ``v0=`` signature, content type.

    The content type is guessed from the body (JSON object or form) unless given.
    """
    text = body.decode() if isinstance(body, bytes) else body
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=stamp, body=text)
    assert signature is not None  # None only without a timestamp
    if content_type is None:
        content_type = JSON if text.lstrip().startswith("{") else FORM
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }


def _channel_name(channel_id: str) -> str:
    if channel_id.startswith("D"):
        return "directmessage"
    if channel_id.startswith("G"):
        return "privategroup"
    return "deal-room"


def _action_ts() -> str:
    return f"{time.time():.6f}"


def _user(user_id: str, user_name: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def _element(blocks: Any, block_id: str, action_id: str) -> Mapping[str, Any] | None:
    """The interactive element ``action_id`` of block ``block_id``, if the blocks have it."""
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, Mapping) or block.get("block_id") != block_id:
            continue
        elements = [*(block.get("elements") or []), block.get("accessory"), block.get("element")]
        for element in elements:
            if isinstance(element, Mapping) and element.get("action_id") == action_id:
                return element
    return None


def _interaction(payload: Mapping[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def slash_command(
    *,
    command: str,
    text: str,
    user_id: str,
    team_id: str,
    channel_id: str,
    trigger_id: str,
    response_url: str,
    user_name: str = "rep",
    api_app_id: str = DEFAULT_APP_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    channel_name: str | None = None,
    token: str = DEFAULT_VERIFICATION_TOKEN,
) -> bytes:
    """A slash command's form body, fields in the order Slack sends them."""
    fields = [
        ("token", token),
        ("team_id", team_id),
        ("team_domain", team_domain),
        ("channel_id", channel_id),
        ("channel_name", channel_name or _channel_name(channel_id)),
        ("user_id", user_id),
        ("user_name", user_name),
        ("command", command),
        ("text", text),
        ("api_app_id", api_app_id),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", trigger_id),
    ]
    return urlencode(fields).encode()


def block_actions(
    *,
    user_id: str,
    team_id: str,
    action_id: str,
    value: str | None,
    block_id: str,
    trigger_id: str,
    channel_id: str | None = None,
    message_ts: str | None = None,
    message: Mapping[str, Any] | None = None,
    is_ephemeral: bool = False,
    view: Mapping[str, Any] | None = None,
    response_url: str | None = None,
    action_type: str = "button",
    action_fields: Mapping[str, Any] | None = None,
    user_name: str = "rep",
    api_app_id: str = DEFAULT_APP_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    token: str = DEFAULT_VERIFICATION_TOKEN,
) -> bytes:
    """A ``block_actions`` interaction from a message (channel/message ts) or a view.

    ``message``: the message object the action came from (e.g. from the stand-in's store);
    a minimal one is made from ``message_ts`` otherwise. ``action_fields``: extra action
    keys, e.g. ``selected_option`` for a select menu.
    """
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": _action_ts(),
    }
    source = (view or message or {}).get("blocks")
    element = _element(source, block_id, action_id)
    if element is not None and "text" in element:  # Slack echoes a button's label
        action["text"] = element["text"]
    if value is not None:
        action["value"] = value
    action.update(action_fields or {})
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": token,
        "container": {},
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "")}
        payload["view"] = dict(view)
    else:
        if channel_id is None or (message_ts is None and message is None):
            raise ValueError("block_actions needs a view, or a channel_id and a message")
        ts = message_ts or str(message["ts"] if message else "")
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": is_ephemeral,
        }
        payload["channel"] = {"id": channel_id, "name": _channel_name(channel_id)}
        payload["message"] = dict(message) if message else {"type": "message", "ts": ts}
        payload["state"] = {"values": {}}
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = [action]
    return _interaction(payload)


def view_submission(
    *,
    user_id: str,
    team_id: str,
    view: Mapping[str, Any],
    trigger_id: str,
    response_urls: list[Mapping[str, str]] | None = None,
    user_name: str = "rep",
    api_app_id: str = DEFAULT_APP_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    token: str = DEFAULT_VERIFICATION_TOKEN,
) -> bytes:
    """A ``view_submission``; ``view`` holds at least callback_id and state.values.

    Fields Slack always sends (id, hash, private_metadata, ...) are filled in if missing.
    """
    full: dict[str, Any] = {
        "id": "V" + secrets.token_hex(5).upper(),
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "title": {"type": "plain_text", "text": "Deal Coach"},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit"},
        "previous_view_id": None,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": None,
    }
    full.update(view)
    if not full.get("root_view_id"):
        full["root_view_id"] = full["id"]
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": team_domain},
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": token,
        "trigger_id": trigger_id,
        "view": full,
        "response_urls": [dict(r) for r in response_urls or []],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _interaction(payload)


def event_callback(
    *,
    team_id: str,
    event: Mapping[str, Any],
    api_app_id: str = DEFAULT_APP_ID,
    bot_user_id: str = DEFAULT_BOT_USER_ID,
    event_id: str | None = None,
    event_time: int | None = None,
    token: str = DEFAULT_VERIFICATION_TOKEN,
) -> bytes:
    """An Events API ``event_callback`` JSON body wrapping ``event``."""
    number = next(_event_numbers)
    body = {
        "token": token,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or f"Ev{number:08d}{secrets.token_hex(2).upper()}",
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{secrets.token_urlsafe(24)}",
    }
    return json.dumps(body).encode()


def block_suggestion(
    *,
    user_id: str,
    team_id: str,
    action_id: str,
    block_id: str,
    value: str,
    view: Mapping[str, Any] | None = None,
    user_name: str = "rep",
    api_app_id: str = DEFAULT_APP_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    token: str = DEFAULT_VERIFICATION_TOKEN,
) -> bytes:
    """A ``block_suggestion``: someone typed ``value`` into an ``external_select`` and Slack
    asks the app's options load URL what to offer (Bolt answers it with ``app.options``)."""
    payload: dict[str, Any] = {
        "type": "block_suggestion",
        "user": _user(user_id, user_name, team_id),
        "container": {"type": "view", "view_id": (view or {}).get("id", "")},
        "api_app_id": api_app_id,
        "token": token,
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "action_ts": _action_ts(),
    }
    if view is not None:
        payload["view"] = dict(view)
    return _interaction(payload)
