"""CRM deal owners to Slack people by email (``users.lookupByEmail``), cached per process."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("dealcoach.crm.owners")

#: Slack's answer when no account in the workspace has that email.
NOT_FOUND = "users_not_found"


class SlackOwners:
    """Call with an email; the Slack user id, or None when no (active) account has it.

    Both answers are cached, so a sync of 10k deals asks Slack once per owner. Needs the
    ``users:read.email`` scope.
    """

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self.cache: dict[str, str | None] = {}

    def __call__(self, email: str) -> str | None:
        key = email.strip().casefold()
        if key not in self.cache:
            self.cache[key] = self._lookup(key)
        return self.cache[key]

    def _lookup(self, email: str) -> str | None:
        try:
            answer = self.client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            if exc.response.get("error") == NOT_FOUND:
                return None
            raise
        user = answer.get("user") or {}
        if user.get("deleted") or user.get("is_bot"):
            return None
        user_id = user.get("id")
        return user_id if isinstance(user_id, str) else None
