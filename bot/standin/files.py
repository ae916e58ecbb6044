"""Slack's external upload flow: files.getUploadURLExternal, a POST of the bytes to the
URL it returned, then files.completeUploadExternal to share the file into a conversation.

The upload URL is served by the stand-in itself (``POST /upload/<token>``); the bytes are
kept, so a test or the shell can read back exactly what the bot sent.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from bot.standin.arguments import CHANNEL_ID, ApiError, text_arg
from bot.standin.store import JsonDict, Message, Store, UploadedFile

#: files.getUploadURLExternal: "alt_txt_too_large" above this many characters.
ALT_TEXT_MAX = 1000
#: What Slack's upload endpoint answers when the bytes arrived.
UPLOAD_OK = "OK - {length}"


def _length(args: Mapping[str, Any]) -> int:
    raw = args.get("length")
    try:
        length = int(str(raw))
    except ValueError:
        raise ApiError(
            "invalid_arguments", f"[ERROR] length must be an integer, got {raw!r}", violation=True
        ) from None
    if length < 1:
        raise ApiError("missing_argument", "[ERROR] length must be 1 or more", violation=True)
    return length


class FileMethods:
    """The files.* half of :class:`bot.standin.methods.WebApi`."""

    store: Store
    #: Where upload URLs point: ``http://127.0.0.1:<port>/upload/`` once the server runs.
    upload_base: str

    def files_get_upload_url_external(self, args: JsonDict) -> JsonDict:
        length = _length(args)
        alt_txt = text_arg(args, "alt_txt")
        if alt_txt is not None and len(alt_txt) > ALT_TEXT_MAX:
            raise ApiError("alt_txt_too_large")
        upload = UploadedFile(
            id=self.store.next_id("F"),
            filename=text_arg(args, "filename") or "",
            length=length,
            alt_txt=alt_txt,
            upload_token=secrets.token_urlsafe(18),
            created=int(self.store.clock.now().timestamp()),
        )
        self.store.files[upload.id] = upload
        return {"file_id": upload.id, "upload_url": f"{self.upload_base}{upload.upload_token}"}

    def receive_upload(self, token: str, body: bytes) -> tuple[int, str, str | None]:
        """A POST to an upload URL: (HTTP status, body, violation or None)."""
        upload = next((f for f in self.store.files.values() if f.upload_token == token), None)
        if upload is None:
            return 404, "not found", "upload: POST to an upload URL the stand-in never issued"
        if upload.complete:
            return 400, "upload already completed", f"upload: {upload.id} was already completed"
        if len(body) != upload.length:
            return (
                400,
                "length mismatch",
                f"upload: {upload.id} announced {upload.length} bytes but {len(body)} arrived",
            )
        upload.data = body
        return 200, UPLOAD_OK.format(length=len(body)), None

    def _uploads(self, args: Mapping[str, Any]) -> list[tuple[UploadedFile, str | None]]:
        raw = args.get("files")
        try:
            items = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            items = None
        if not isinstance(items, list) or not items:
            raise ApiError(
                "invalid_arguments",
                "[ERROR] files must be a JSON array of {id, title}",
                violation=True,
            )
        found = []
        for item in items:
            upload = self.store.files.get(str(item.get("id"))) if isinstance(item, dict) else None
            if upload is None or upload.complete:
                raise ApiError("file_not_found")
            if upload.data is None:
                raise ApiError(
                    "file_not_found",
                    f"[ERROR] no bytes were POSTed to the upload URL of {upload.id}",
                    violation=True,
                )
            found.append((upload, text_arg(item, "title")))
        return found

    def files_complete_upload_external(self, args: JsonDict) -> JsonDict:
        uploads = self._uploads(args)
        channel = text_arg(args, "channel_id")
        if channel is not None and not CHANNEL_ID.match(channel):
            raise ApiError("channel_not_found")
        bot = self.store.workspace
        for upload, title in uploads:
            upload.title = title or upload.filename
            if channel is not None:
                upload.channels.append(channel)
        if channel is not None:
            self.store.add(
                Message(
                    channel=channel,
                    ts=self.store.next_ts(),
                    text=text_arg(args, "initial_comment") or "",
                    thread_ts=text_arg(args, "thread_ts"),
                    user=bot.bot_user_id,
                    bot_id=bot.bot_id,
                    files=[upload.to_slack(bot.bot_user_id) for upload, _ in uploads],
                )
            )
        return {"files": [{"id": u.id, "title": u.title} for u, _ in uploads]}
