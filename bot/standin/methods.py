"""The Web API methods the stand-in implements, on top of its :class:`Store`.

Each handler takes the call's arguments (strings from a form body, JSON values from a JSON
body) and returns the success body without ``ok``, or raises :class:`ApiError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from bot.standin.arguments import CHANNEL_ID, USER_ID, ApiError, flag_arg, page, text_arg
from bot.standin.files import FileMethods
from bot.standin.identity import Workspace
from bot.standin.store import JsonDict, Message, Store
from bot.standin.validation import MESSAGE_BLOCK_LIMIT, InvalidJson, check_blocks, decode_json_arg
from bot.standin.view_methods import ViewMethods

_MAX_MPIM_USERS = 8

Handler = Callable[[JsonDict], JsonDict]

__all__ = ["ApiError", "Handler", "WebApi"]


class WebApi(ViewMethods, FileMethods):
    """The implemented methods, by Web API name."""

    def __init__(self, store: Store, *, trigger_ttl: float | None = None) -> None:
        self.store = store
        self.trigger_ttl = trigger_ttl
        self.upload_base = ""
        self.handlers: dict[str, Handler] = {
            "auth.test": self.auth_test,
            "users.info": self.users_info,
            "users.lookupByEmail": self.users_lookup_by_email,
            "conversations.open": self.conversations_open,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.getPermalink": self.chat_get_permalink,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }

    def call(self, method: str, args: JsonDict) -> JsonDict:
        handler = self.handlers.get(method)
        if handler is None:
            raise ApiError("not_implemented", f"[ERROR] the stand-in does not implement {method}")
        with self.store.lock:
            return handler(args)

    # ---- shared pieces ---------------------------------------------------------------

    @property
    def _ws(self) -> Workspace:
        return self.store.workspace

    def _conversation(self, args: Mapping[str, Any], *, users_allowed: bool) -> str:
        channel = text_arg(args, "channel") or ""
        if users_allowed and USER_ID.match(channel):
            return self.store.resolve_channel(channel)
        if not CHANNEL_ID.match(channel):
            raise ApiError("channel_not_found")
        return channel

    def _blocks(self, args: Mapping[str, Any]) -> list[JsonDict] | None:
        raw = args.get("blocks")
        if raw is None or raw == "":
            return None
        try:
            blocks = decode_json_arg(raw)
        except InvalidJson as exc:
            raise ApiError(
                "invalid_blocks_format", f"[ERROR] blocks is not valid JSON: {exc}", violation=True
            ) from exc
        problems = check_blocks(blocks, limit=MESSAGE_BLOCK_LIMIT)
        if problems:
            raise ApiError("invalid_blocks", *problems, violation=True)
        return list(blocks)

    def _content(self, args: Mapping[str, Any]) -> tuple[str | None, list[JsonDict] | None]:
        text, blocks = text_arg(args, "text"), self._blocks(args)
        if text is None and blocks is None and not args.get("attachments"):
            if not args.get("markdown_text"):
                raise ApiError(
                    "no_text",
                    "[ERROR] one of text, blocks or attachments is required",
                    violation=True,
                )
            text = str(args["markdown_text"])
        return text, blocks

    def _bot_message_json(self, message: Message) -> JsonDict:
        data = self.store.message_json(message, metadata=True)
        data["app_id"] = self._ws.app_id
        data["bot_profile"] = {
            "id": self._ws.bot_id,
            "app_id": self._ws.app_id,
            "name": self._ws.bot_name,
            "deleted": False,
            "team_id": self._ws.team_id,
        }
        return data

    def _own_message(self, channel: str, ts: str, refusal: str) -> Message:
        message = self.store.find(channel, ts)
        if message is None:
            raise ApiError("message_not_found")
        if message.user != self._ws.bot_user_id:
            raise ApiError(refusal)
        return message

    # ---- auth, users, conversations --------------------------------------------------

    def auth_test(self, args: JsonDict) -> JsonDict:
        return {
            "url": self._ws.url,
            "team": "Stand-in Workspace",
            "user": self._ws.bot_name,
            "team_id": self._ws.team_id,
            "user_id": self._ws.bot_user_id,
            "bot_id": self._ws.bot_id,
            "is_enterprise_install": False,
        }

    def users_info(self, args: JsonDict) -> JsonDict:
        user = self.store.users.get(text_arg(args, "user") or "")
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user.to_slack(self._ws.team_id, self.store.clock.now())}

    def users_lookup_by_email(self, args: JsonDict) -> JsonDict:
        wanted = (text_arg(args, "email") or "").strip().casefold()
        for user in self.store.users.values():
            if wanted and user.email.casefold() == wanted:
                return {"user": user.to_slack(self._ws.team_id, self.store.clock.now())}
        raise ApiError("users_not_found")

    def conversations_open(self, args: JsonDict) -> JsonDict:
        channel = text_arg(args, "channel")
        users = [u.strip() for u in (text_arg(args, "users") or "").split(",") if u.strip()]
        if channel is None and not users:
            raise ApiError("users_list_not_supplied")
        if users:
            if len(users) > _MAX_MPIM_USERS:
                raise ApiError("too_many_users")
            for user_id in users:
                known = self.store.users.get(user_id)
                if not USER_ID.match(user_id):
                    raise ApiError("user_not_found")
                if known is not None and known.deleted:
                    raise ApiError("user_disabled")
            channel = self.store.dm_id(users[0]) if len(users) == 1 else self.store.mpim_id(users)
        assert channel is not None
        already = channel in self.store.opened or channel in self.store.conversations
        if not already and flag_arg(args, "prevent_creation"):
            raise ApiError("channel_not_found")
        self.store.opened.add(channel)
        body: JsonDict = {"no_op": already, "already_open": already, "channel": {"id": channel}}
        if flag_arg(args, "return_im"):
            body["channel"] = self._conversation_info(channel, users)
        return body

    def _conversation_info(self, channel: str, users: list[str]) -> JsonDict:
        info: JsonDict = {
            "id": channel,
            "created": int(self.store.clock.now().timestamp()),
            "is_im": channel.startswith("D"),
            "is_mpim": channel.startswith("G"),
            "is_org_shared": False,
            "last_read": "0000000000.000000",
            "latest": None,
            "unread_count": 0,
            "unread_count_display": 0,
            "is_open": True,
            "priority": 0,
        }
        if channel.startswith("D") and users:
            info["user"] = users[0]
        return info

    def conversations_history(self, args: JsonDict) -> JsonDict:
        channel = self._conversation(args, users_allowed=False)
        oldest, latest = text_arg(args, "oldest"), text_arg(args, "latest")
        inclusive = flag_arg(args, "inclusive")

        def within(ts: str) -> bool:
            low = oldest is None or float(ts) > float(oldest) or (inclusive and ts == oldest)
            high = latest is None or float(ts) < float(latest) or (inclusive and ts == latest)
            return low and high

        messages = [m for m in reversed(self.store.top_level(channel)) if within(m.ts)]
        with_metadata = flag_arg(args, "include_all_metadata")
        listed = [self.store.message_json(m, metadata=with_metadata) for m in messages]
        body = page(listed, args, default=100)
        body.update(pin_count=0, channel_actions_ts=None, channel_actions_count=0)
        if latest is not None:
            body["latest"] = latest
        return body

    def conversations_replies(self, args: JsonDict) -> JsonDict:
        channel = self._conversation(args, users_allowed=False)
        message = self.store.find(channel, text_arg(args, "ts") or "")
        if message is None:
            raise ApiError("thread_not_found")
        if message.is_reply:
            parent = self.store.find(channel, message.thread_ts or "")
            if parent is None:
                raise ApiError("thread_not_found")
            message = parent
        thread = [message, *self.store.thread(channel, message.ts)]
        with_metadata = flag_arg(args, "include_all_metadata")
        listed = [self.store.message_json(m, metadata=with_metadata) for m in thread]
        return page(listed, args, default=1000)

    # ---- chat ------------------------------------------------------------------------

    def chat_post_message(self, args: JsonDict) -> JsonDict:
        channel = self._conversation(args, users_allowed=True)
        text, blocks = self._content(args)
        thread_ts = text_arg(args, "thread_ts")
        if thread_ts is not None:
            parent = self.store.find(channel, thread_ts)
            if parent is not None and parent.is_reply:
                thread_ts = parent.thread_ts  # Slack threads a reply-to-a-reply on the parent
        message = self.store.add(
            Message(
                channel=channel,
                ts=self.store.next_ts(),
                text=text or "",
                blocks=blocks,
                thread_ts=thread_ts,
                user=self._ws.bot_user_id,
                bot_id=self._ws.bot_id,
                broadcast=thread_ts is not None and flag_arg(args, "reply_broadcast"),
                metadata=_metadata(args),
            )
        )
        self.store.opened.add(channel)
        return {"channel": channel, "ts": message.ts, "message": self._bot_message_json(message)}

    def chat_post_ephemeral(self, args: JsonDict) -> JsonDict:
        channel = self._conversation(args, users_allowed=True)
        user = text_arg(args, "user") or ""
        if not USER_ID.match(user):
            raise ApiError("user_not_in_channel")
        text, blocks = self._content(args)
        message = self.store.add(
            Message(
                channel=channel,
                ts=self.store.next_ts(),
                text=text or "",
                blocks=blocks,
                thread_ts=text_arg(args, "thread_ts"),
                user=self._ws.bot_user_id,
                bot_id=self._ws.bot_id,
                ephemeral_for=user,
            )
        )
        return {"message_ts": message.ts}

    def chat_update(self, args: JsonDict) -> JsonDict:
        channel = self._conversation(args, users_allowed=False)
        text, blocks = text_arg(args, "text"), self._blocks(args)
        message = self._own_message(channel, text_arg(args, "ts") or "", "cant_update_message")
        if text is None and blocks is None and not args.get("attachments"):
            raise ApiError("no_text", "[ERROR] one of text, blocks or attachments is required")
        if text is not None:
            message.text = text
        if blocks is not None:  # left out: the blocks stay; [] removes them, as in Slack
            message.blocks = blocks or None
        data = self._bot_message_json(message)
        data["edited"] = {"user": self._ws.bot_user_id, "ts": self.store.next_ts()}
        return {"channel": channel, "ts": message.ts, "text": message.text, "message": data}

    def chat_delete(self, args: JsonDict) -> JsonDict:
        channel = self._conversation(args, users_allowed=False)
        message = self._own_message(channel, text_arg(args, "ts") or "", "cant_delete_message")
        self.store.remove(message)
        return {"channel": channel, "ts": message.ts}

    def chat_get_permalink(self, args: JsonDict) -> JsonDict:
        channel = self._conversation(args, users_allowed=False)
        message = self.store.find(channel, text_arg(args, "message_ts") or "")
        if message is None:
            raise ApiError("message_not_found")
        link = f"{self._ws.url}archives/{channel}/p{message.ts.replace('.', '')}"
        if message.is_reply:
            link += f"?thread_ts={message.thread_ts}&cid={channel}"
        return {"channel": channel, "permalink": link}


#: Slack's cap on a message's metadata (its JSON text).
_METADATA_LIMIT = 8000


def _metadata(args: Mapping[str, Any]) -> JsonDict | None:
    """``metadata``: a JSON object with a string ``event_type`` and an object
    ``event_payload`` (a string in a form body, an object in a JSON one)."""
    raw = args.get("metadata")
    if raw is None or raw == "":
        return None
    try:
        value = decode_json_arg(raw)
    except InvalidJson as exc:
        raise ApiError("invalid_metadata_format", f"[ERROR] {exc}", violation=True) from exc
    if not isinstance(value, dict):
        raise ApiError("invalid_metadata_format", violation=True)
    event_type, payload = value.get("event_type"), value.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise ApiError(
            "invalid_metadata_schema",
            "[ERROR] metadata needs a string event_type and an object event_payload",
            violation=True,
        )
    if len(json.dumps(value)) > _METADATA_LIMIT:
        raise ApiError("metadata_too_large", violation=True)
    return {"event_type": event_type, "event_payload": payload}
