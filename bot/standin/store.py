"""What the stand-in remembers: users, conversations, views, and the calls made to it.

Everything here is guarded by ``Store.lock`` (re-entrant); callers outside this package get
copies, never the live records.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock, SystemClock
from bot.standin.identity import Workspace

JsonDict = dict[str, Any]

#: Slack shows long zone names; zoneinfo knows the abbreviations.
_TZ_LABELS = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "AKST": "Alaska Standard Time",
    "AKDT": "Alaska Daylight Time",
    "HST": "Hawaii-Aleutian Standard Time",
    "GMT": "Greenwich Mean Time",
    "UTC": "Coordinated Universal Time",
    "BST": "British Summer Time",
    "IST": "India Standard Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}


@dataclass
class Message:
    """One message as the stand-in stores it."""

    channel: str
    ts: str
    text: str
    blocks: list[JsonDict] | None = None
    thread_ts: str | None = None
    user: str | None = None
    ephemeral_for: str | None = None
    bot_id: str | None = None
    broadcast: bool = False
    #: Files shared with the message (``files.completeUploadExternal``), as Slack lists them.
    files: list[JsonDict] | None = None
    #: Message metadata (``event_type`` and ``event_payload``), as ``chat.postMessage`` took it.
    metadata: JsonDict | None = None

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    def to_slack(self, team_id: str) -> JsonDict:
        """The message object as Slack's API returns it."""
        data: JsonDict = {"type": "message", "ts": self.ts, "text": self.text}
        if self.user is not None:
            data["user"] = self.user
        if self.bot_id is not None:
            data["bot_id"] = self.bot_id
        data["team"] = team_id
        if self.blocks is not None:
            data["blocks"] = copy.deepcopy(self.blocks)
        if self.thread_ts is not None:
            data["thread_ts"] = self.thread_ts
        if self.broadcast:
            data["subtype"] = "thread_broadcast"
        if self.files is not None:
            data["files"] = copy.deepcopy(self.files)
            data["upload"] = True
        return data


@dataclass
class UploadedFile:
    """A file the bot is uploading or has shared, with the bytes it sent."""

    id: str
    filename: str
    length: int
    alt_txt: str | None
    upload_token: str
    created: int
    data: bytes | None = None
    title: str | None = None
    channels: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.channels) or self.title is not None

    def to_slack(self, user: str) -> JsonDict:
        data: JsonDict = {
            "id": self.id,
            "created": self.created,
            "name": self.filename,
            "title": self.title or self.filename,
            "user": user,
            "size": self.length,
            "channels": list(self.channels),
        }
        if self.alt_txt is not None:
            data["alt_txt"] = self.alt_txt
        return data


@dataclass
class StoredView:
    """A modal or a Home tab, as last opened, pushed, updated or published."""

    id: str
    type: str
    user_id: str | None
    hash: str
    payload: JsonDict

    @property
    def callback_id(self) -> str:
        return str(self.payload.get("callback_id") or "")

    @property
    def private_metadata(self) -> str:
        return str(self.payload.get("private_metadata") or "")

    @property
    def external_id(self) -> str:
        return str(self.payload.get("external_id") or "")

    @property
    def blocks(self) -> list[JsonDict]:
        return list(self.payload.get("blocks") or [])


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str
    is_bot: bool = False
    deleted: bool = False
    #: The profile status ("Vacation", ":palm_tree:", unix time it clears or 0).
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0
    #: What ``users.lookupByEmail`` finds them by (the bot needs ``users:read.email``).
    email: str = ""

    def tz_offset(self, at: datetime) -> int:
        offset = at.astimezone(ZoneInfo(self.tz)).utcoffset()
        return 0 if offset is None else int(offset.total_seconds())

    def tz_label(self, at: datetime) -> str:
        abbreviation = at.astimezone(ZoneInfo(self.tz)).tzname() or self.tz
        return _TZ_LABELS.get(abbreviation, abbreviation)

    def to_slack(self, team_id: str, at: datetime) -> JsonDict:
        """The user object of ``users.info``."""
        display_name = "" if self.is_bot else self.name
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": hashlib.sha256(self.id.encode()).hexdigest()[:6],
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": self.tz_label(at),
            "tz_offset": self.tz_offset(at),
            "profile": {
                "real_name": self.real_name,
                "real_name_normalized": self.real_name,
                "display_name": display_name,
                "display_name_normalized": display_name,
                "status_text": self.status_text,
                "status_emoji": self.status_emoji,
                "status_expiration": self.status_expiration,
                "team": team_id,
                **({"email": self.email} if self.email else {}),
            },
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": int(at.timestamp()),
        }


@dataclass
class Call:
    """One Web API call as the stand-in received and answered it."""

    method: str
    args: JsonDict
    ok: bool
    error: str | None = None
    status: int = 200
    injected: bool = False


@dataclass
class ResponseTarget:
    """Where a response URL posts to."""

    channel_id: str
    user_id: str
    message_ts: str | None = None


@dataclass
class ResponsePost:
    """One POST to a response URL."""

    url: str
    payload: JsonDict
    target: ResponseTarget


@dataclass
class _Trigger:
    user_id: str | None
    issued_at: float
    used: bool = False


@dataclass
class Store:
    """The state of the stand-in workspace."""

    workspace: Workspace
    clock: Clock = field(default_factory=SystemClock)
    lock: threading.RLock = field(default_factory=threading.RLock)
    users: dict[str, User] = field(default_factory=dict)
    conversations: dict[str, list[Message]] = field(default_factory=dict)
    opened: set[str] = field(default_factory=set)
    views: dict[str, StoredView] = field(default_factory=dict)
    homes: dict[str, str] = field(default_factory=dict)
    triggers: dict[str, _Trigger] = field(default_factory=dict)
    response_targets: dict[str, ResponseTarget] = field(default_factory=dict)
    responses: list[ResponsePost] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    #: Files by id, from ``files.getUploadURLExternal`` on (see :mod:`bot.standin.files`).
    files: dict[str, UploadedFile] = field(default_factory=dict)
    _last_ts: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def clear(self, *, users: bool) -> None:
        with self.lock:
            for collection in (
                self.conversations,
                self.views,
                self.homes,
                self.triggers,
                self.response_targets,
                self.files,
            ):
                collection.clear()
            self.opened.clear()
            self.responses.clear()
            self.calls.clear()
            if users:
                self.users.clear()

    # ---- identifiers -----------------------------------------------------------------

    def next_ts(self) -> str:
        """A message ts: unique, increasing, ``"1700000000.000100"``-shaped."""
        with self.lock:
            micros = max(int(self.clock.now().timestamp() * 1_000_000), self._last_ts + 1)
            self._last_ts = micros
            return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):010d}"

    def view_hash(self) -> str:
        return f"{int(self.clock.now().timestamp())}.{secrets.token_hex(4)}"

    def new_trigger(self, user_id: str | None) -> str:
        with self.lock:
            trigger = (
                f"{int(self.clock.now().timestamp())}.{next(self._ids)}.{secrets.token_hex(16)}"
            )
            self.triggers[trigger] = _Trigger(user_id=user_id, issued_at=time.monotonic())
            return trigger

    def use_trigger(self, trigger_id: str, ttl: float | None) -> tuple[str | None, str | None]:
        """Spend a trigger: ``(error, user_id)``; error is None when the trigger was good."""
        with self.lock:
            trigger = self.triggers.get(trigger_id)
            if trigger is None:
                return "expired_trigger_id", None
            if trigger.used:
                return "exchanged_trigger_id", trigger.user_id
            if ttl is not None and time.monotonic() - trigger.issued_at > ttl:
                return "expired_trigger_id", trigger.user_id
            trigger.used = True
            return None, trigger.user_id

    # ---- conversations ---------------------------------------------------------------

    @staticmethod
    def dm_id(user_id: str) -> str:
        """The bot's DM with a user: stable for a user id."""
        return "D" + hashlib.sha256(user_id.encode()).hexdigest()[:10].upper()

    @staticmethod
    def mpim_id(user_ids: list[str]) -> str:
        joined = ",".join(sorted(set(user_ids)))
        return "G" + hashlib.sha256(joined.encode()).hexdigest()[:10].upper()

    def resolve_channel(self, channel: str) -> str:
        """A user id as a channel means the bot's DM with that user, as in Slack."""
        if channel[:1] in ("U", "W"):
            return self.dm_id(channel)
        return channel

    def add(self, message: Message) -> Message:
        with self.lock:
            self.conversations.setdefault(message.channel, []).append(message)
            return message

    def find(self, channel: str, ts: str, *, ephemeral: bool = False) -> Message | None:
        with self.lock:
            for message in self.conversations.get(channel, []):
                if message.ts == ts and (message.ephemeral_for is not None) == ephemeral:
                    return message
            return None

    def remove(self, message: Message) -> None:
        with self.lock:
            self.conversations.get(message.channel, []).remove(message)

    def top_level(self, channel: str) -> list[Message]:
        """What the channel shows: its messages and broadcast replies, oldest first."""
        with self.lock:
            return [
                m
                for m in self.conversations.get(channel, [])
                if m.ephemeral_for is None and (not m.is_reply or m.broadcast)
            ]

    def thread(self, channel: str, ts: str) -> list[Message]:
        """The replies to ``ts``, oldest first (the parent excluded)."""
        with self.lock:
            return [
                m
                for m in self.conversations.get(channel, [])
                if m.ephemeral_for is None and m.is_reply and m.thread_ts == ts
            ]

    def ephemerals(self, user_id: str) -> list[Message]:
        with self.lock:
            return [
                m
                for messages in self.conversations.values()
                for m in messages
                if m.ephemeral_for == user_id
            ]

    def message_json(self, message: Message, *, metadata: bool = False) -> JsonDict:
        """A message as history returns it, with the thread summary on a parent (and its
        metadata when the caller asked for ``include_all_metadata``)."""
        with self.lock:
            data = message.to_slack(self.workspace.team_id)
            if metadata and message.metadata is not None:
                data["metadata"] = copy.deepcopy(message.metadata)
            replies = [] if message.is_reply else self.thread(message.channel, message.ts)
            if message.thread_ts == message.ts or replies:
                users = sorted({r.user for r in replies if r.user})
                data.update(
                    thread_ts=message.ts,
                    reply_count=len(replies),
                    reply_users_count=len(users),
                    reply_users=users,
                    latest_reply=replies[-1].ts if replies else message.ts,
                )
            if message.is_reply and message.user is not None:
                parent = self.find(message.channel, message.thread_ts or "")
                if parent is not None and parent.user is not None:
                    data["parent_user_id"] = parent.user
            return data

    # ---- views -----------------------------------------------------------------------

    def view_by(self, *, view_id: str | None, external_id: str | None) -> StoredView | None:
        with self.lock:
            if view_id:
                return self.views.get(view_id)
            if external_id:
                for view in self.views.values():
                    if view.external_id == external_id:
                        return view
            return None

    def external_id_taken(self, external_id: str, *, by_other_than: str | None = None) -> bool:
        with self.lock:
            return any(
                v.external_id == external_id and v.id != by_other_than for v in self.views.values()
            )
