"""Response URLs: what Bolt's ``respond()`` and slack_sdk's WebhookClient post to.

Like hooks.slack.com, an accepted post is answered ``200 ok`` as plain text and a rejected one
with a 4xx status and the error as the body.
"""

from __future__ import annotations

import json
from typing import Any

from bot.standin.store import Message, ResponsePost, Store
from bot.standin.validation import MESSAGE_BLOCK_LIMIT, InvalidJson, check_blocks, decode_json_arg

#: (HTTP status, body text, violation or None)
Outcome = tuple[int, str, str | None]


def _violation(error: str, details: list[str]) -> Outcome:
    return 400, error, "response_url: " + error + (": " + "; ".join(details) if details else "")


def handle_response_post(store: Store, token: str, body: bytes, *, url: str) -> Outcome:
    """Apply one POST to the response URL ``token`` to the store."""
    with store.lock:
        target = store.response_targets.get(token)
        if target is None:
            return 404, "no_service", None
        try:
            payload: Any = json.loads(body or b"{}")
            if not isinstance(payload, dict):
                raise ValueError("the body must be a JSON object")
            blocks = decode_json_arg(payload.get("blocks"))
        except (ValueError, InvalidJson) as exc:
            return _violation("invalid_payload", [str(exc)])
        if blocks is not None:
            problems = check_blocks(blocks, limit=MESSAGE_BLOCK_LIMIT)
            if problems:
                return _violation("invalid_blocks", problems)
        text = payload.get("text")
        delete = bool(payload.get("delete_original"))
        if not delete and not text and blocks is None and not payload.get("attachments"):
            return _violation("no_text", [])
        store.responses.append(ResponsePost(url=url, payload=payload, target=target))

        original = None
        if target.message_ts is not None:
            original = store.find(target.channel_id, target.message_ts) or store.find(
                target.channel_id, target.message_ts, ephemeral=True
            )
        if delete:
            if original is not None:
                store.remove(original)
            return 200, "ok", None
        if payload.get("replace_original") and original is not None:
            original.text = str(text or "")
            original.blocks = blocks
            return 200, "ok", None
        in_channel = payload.get("response_type") == "in_channel"
        store.add(
            Message(
                channel=target.channel_id,
                ts=store.next_ts(),
                text=str(text or ""),
                blocks=blocks,
                thread_ts=payload.get("thread_ts"),
                user=store.workspace.bot_user_id,
                bot_id=store.workspace.bot_id,
                ephemeral_for=None if in_channel else target.user_id,
            )
        )
        return 200, "ok", None
