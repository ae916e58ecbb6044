"""Who is who: Slack profiles (name, time zone) fetched with users.info and kept on Person."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import people
from bot.services.errors import InvalidInput


def fetch_profile(
    client: WebClient, slack_user_id: str, *, field: str = "assignee"
) -> people.Profile:
    """users.info → Profile; someone who is not a live human gets a message on ``field``."""
    try:
        user = client.users_info(user=slack_user_id)["user"]
    except SlackApiError as exc:
        if exc.response.get("error") in {"user_not_found", "invalid_user"}:
            raise InvalidInput(
                {field: f"I can't find <@{slack_user_id}> in this workspace. Pick them with @."}
            ) from None
        raise
    if user.get("deleted"):
        raise InvalidInput({field: f"<@{slack_user_id}> is deactivated; pick someone else."})
    if user.get("is_bot") or slack_user_id == "USLACKBOT":
        raise InvalidInput({field: f"<@{slack_user_id}> is a bot; pick a person."})
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or slack_user_id
    )
    return people.Profile(slack_user_id=slack_user_id, display_name=name, time_zone=user.get("tz"))
