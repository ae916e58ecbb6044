"""Sending a file into someone's DM with Slack's external upload flow.

``WebClient.files_upload_v2`` performs exactly that flow: ``files.getUploadURLExternal``
(name, length, alt text), a POST of the bytes to the URL it returned, then
``files.completeUploadExternal`` sharing the file into one conversation. Slack wants a
conversation id there, so the DM is opened first.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient


@dataclass(frozen=True)
class SentFile:
    file_id: str
    channel: str


def send_to_dm(
    client: WebClient,
    *,
    user_id: str,
    data: bytes,
    filename: str,
    title: str,
    alt_text: str,
    comment: str | None = None,
) -> SentFile:
    """Upload ``data`` and share it into the bot's DM with ``user_id``."""
    opened = client.conversations_open(users=user_id)
    channel = str(opened["channel"]["id"])
    response = client.files_upload_v2(
        channel=channel,
        file=data,
        filename=filename,
        title=title,
        alt_txt=alt_text,
        initial_comment=comment,
    )
    return SentFile(file_id=str(response["files"][0]["id"]), channel=channel)
