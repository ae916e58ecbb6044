"""Who the stand-in pretends to be: one workspace with the bot installed in it."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_BOT_TOKEN = "xoxb-standin"  # noqa: S105 - a made-up token, only the stand-in takes it
DEFAULT_TEAM_ID = "T0STANDIN1"
DEFAULT_TEAM_DOMAIN = "standin"
DEFAULT_APP_ID = "A0STANDIN1"
DEFAULT_BOT_ID = "B0STANDIN1"
DEFAULT_BOT_USER_ID = "U0STANDBOT"
DEFAULT_BOT_NAME = "dealcoach"
#: The deprecated verification token Slack still puts into every request it sends.
DEFAULT_VERIFICATION_TOKEN = "standin-verification-token"  # noqa: S105 - made up


#: The app-level token (Socket Mode's ``connections:write``) the stand-in accepts.
DEFAULT_APP_TOKEN = "xapp-1-A0STANDIN1-1-standin"  # noqa: S105 - made up

DEFAULT_CLIENT_ID = "1111111111.2222222222"
DEFAULT_CLIENT_SECRET = "standin-client-secret"  # noqa: S105 - made up


@dataclass(frozen=True)
class Workspace:
    bot_token: str = DEFAULT_BOT_TOKEN
    team_id: str = DEFAULT_TEAM_ID
    team_domain: str = DEFAULT_TEAM_DOMAIN
    app_id: str = DEFAULT_APP_ID
    bot_id: str = DEFAULT_BOT_ID
    bot_user_id: str = DEFAULT_BOT_USER_ID
    bot_name: str = DEFAULT_BOT_NAME
    #: The app's OAuth credentials, for the install flow (oauth.v2.access).
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    #: The app-level token for apps.connections.open (Socket Mode).
    app_token: str = DEFAULT_APP_TOKEN

    @property
    def url(self) -> str:
        return f"https://{self.team_domain}.slack.com/"
