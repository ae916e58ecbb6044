"""A local stand-in for Slack: its Web API, response URLs, and signed requests to the bot."""

from bot.standin.api_ref import ApiReference, MethodSpec, check_call, load_specs
from bot.standin.identity import Workspace
from bot.standin.requests import (
    block_actions,
    event_callback,
    sign,
    slash_command,
    view_submission,
)
from bot.standin.server import SlackStandIn
from bot.standin.store import Call, Message, ResponsePost, ResponseTarget, StoredView, User

__all__ = [
    "ApiReference",
    "Call",
    "Message",
    "MethodSpec",
    "ResponsePost",
    "ResponseTarget",
    "SlackStandIn",
    "StoredView",
    "User",
    "Workspace",
    "block_actions",
    "check_call",
    "event_callback",
    "load_specs",
    "sign",
    "slash_command",
    "view_submission",
]
