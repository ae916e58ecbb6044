"""Settings from the environment (and an optional ``.env`` file).

This is the only module that reads environment variables. Nothing here runs at
import time: call :func:`load_settings` where a process starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SLACK_API_URL = "https://slack.com/api/"

#: What each variable needs, in words a person setting it up can act on.
HOW_TO_SET: dict[str, str] = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from your Slack app's "
    "OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "the Signing Secret from your Slack app's Basic Information page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, for Socket Mode",
    "SLACK_CLIENT_ID": "the Client ID from your Slack app's Basic Information page, for installs "
    "into many workspaces",
    "SLACK_CLIENT_SECRET": "the Client Secret from your Slack app's Basic Information page",
    "DATABASE_URL": "a SQLAlchemy URL such as sqlite:///dealcoach.db or "
    "postgresql+psycopg://user:pass@host:5432/dealcoach",
    "SLACK_API_URL": "an http(s) URL ending in /api/, such as https://slack.com/api/",
    "DEALCOACH_CONFIG_DIR": "a directory holding dealcoach.yaml",
    "PORT": "a TCP port number between 1 and 65535",
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR",
    "LOG_FORMAT": "auto (text in a terminal, JSON otherwise), text or json",
    "DEALCOACH_ENCRYPTION_KEY": "one or more Fernet keys separated by commas, newest first "
    "(make one with: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())')",
    "METRICS_PORT": "a TCP port for the worker's /metrics, between 1 and 65535",
    "HUBSPOT_ACCESS_TOKEN": "a HubSpot private app's access token (pat-…) with the "
    "crm.objects.deals.read/write and crm.objects.owners.read scopes",
    "HUBSPOT_API_URL": "an http(s) URL such as https://api.hubapi.com",
    "SALESFORCE_USERNAME": "the Salesforce integration user's username",
    "SALESFORCE_PASSWORD": "that user's password",
    "SALESFORCE_SESSION_ID": "a session id from a connected app, with SALESFORCE_INSTANCE_URL",
    "SALESFORCE_INSTANCE_URL": "your org's URL, such as https://acme.my.salesforce.com",
}

#: The values `.env.example` ships with: a server started with them fails every request.
PLACEHOLDERS = frozenset(
    {
        "xoxb-your-bot-token",
        "your-signing-secret",
        "xapp-only-for-socket-mode",
        "1234567890.1234567890",
        "your-client-secret",
    }
)

#: Slack's token prefixes, to say which kind of token was given where another is needed.
TOKEN_KINDS = {
    "xoxb-": "a bot token (xoxb-…)",
    "xoxp-": "a user token (xoxp-…)",
    "xapp-": "an app-level token (xapp-…)",
    "xoxe": "a refresh or rotated token (xoxe…)",
}


def _kind_of(token: str) -> str:
    for prefix, kind in TOKEN_KINDS.items():
        if token.startswith(prefix):
            return kind
    return "not a Slack token"


def _real_value(value: str) -> str:
    """Refuse empty values and the `.env.example` placeholders."""
    if not value.strip():
        raise ValueError("is set but empty")
    if value in PLACEHOLDERS or value.startswith("your-"):
        raise ValueError("still holds the placeholder from .env.example")
    return value


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    #: With a client id and secret the app installs into many workspaces through Slack's
    #: OAuth flow (/slack/install) and keeps each workspace's bot token in the database.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    database_url: str = "sqlite:///dealcoach.db"
    slack_api_url: str = SLACK_API_URL
    dealcoach_config_dir: Path = Path("config")
    host: str = "0.0.0.0"  # noqa: S104 - a server in a container listens on every interface
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: str = "INFO"
    log_format: Literal["auto", "text", "json"] = "auto"
    sweep_interval_seconds: int = Field(default=30, ge=1)
    #: Fernet keys, comma-separated, newest first: tokens are encrypted with the first and
    #: read with any, so a key can be rotated in without losing stored installations.
    dealcoach_encryption_key: SecretStr | None = None
    #: The worker has no web server; with this set it serves /metrics on this port.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    #: Requests whose work after the ack runs at once, and acked ones that may wait for
    #: them; past both, a command is answered "busy, try again in a minute".
    work_threads: int = Field(default=4, ge=1, le=64)
    work_queue: int = Field(default=60, ge=0, le=1000)
    #: With this many worker processes, the work after each ack runs there, and the `serve`
    #: or `socket` process only answers Slack (0: the work runs on threads in it).
    work_processes: int = Field(default=0, ge=0, le=32)
    #: How long shutdown waits for requests in flight and the sweep's current send.
    shutdown_grace_seconds: float = Field(default=10, ge=0, le=120)
    #: A database that does not answer in this long stops start-up with one line.
    database_connect_timeout_seconds: int = Field(default=5, ge=1, le=60)
    #: CRM credentials (which CRM is chosen in dealcoach.yaml's ``crm:``).
    hubspot_access_token: SecretStr | None = None
    hubspot_api_url: str = "https://api.hubapi.com"
    salesforce_username: str | None = None
    salesforce_password: SecretStr | None = None
    salesforce_security_token: SecretStr | None = None
    #: ``login``, ``test`` (a sandbox) or your My Domain name.
    salesforce_domain: str = "login"
    salesforce_session_id: SecretStr | None = None
    salesforce_instance_url: str | None = None
    #: Sends every Salesforce request to this plain-HTTP address (a local stand-in).
    salesforce_api_url: str | None = None

    @field_validator("slack_signing_secret", "slack_client_secret", "slack_client_id")
    @classmethod
    def _not_placeholder(cls, value: SecretStr | str | None) -> SecretStr | str | None:
        if value is not None:
            _real_value(value.get_secret_value() if isinstance(value, SecretStr) else value)
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            token = _real_value(value.get_secret_value())
            if not token.startswith("xoxb-"):
                raise ValueError(f"must start with xoxb-, and this is {_kind_of(token)}")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            token = _real_value(value.get_secret_value())
            if not token.startswith("xapp-"):
                raise ValueError(f"must start with xapp-, and this is {_kind_of(token)}")
        return value

    @field_validator("dealcoach_encryption_key")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            from cryptography.fernet import Fernet

            for key in _real_value(value.get_secret_value()).split(","):
                try:
                    Fernet(key.strip())
                except ValueError:
                    raise ValueError("holds a value that is not a Fernet key") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError as exc:
            raise ValueError("is not a database URL") from exc
        return value

    @field_validator("hubspot_api_url", "salesforce_instance_url", "salesforce_api_url")
    @classmethod
    def _crm_url_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/") if value else value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("log_level")
    @classmethod
    def _log_level_shape(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("is not a log level")
        return value.upper()

    @property
    def many_workspaces(self) -> bool:
        """Installs through OAuth rather than one workspace's bot token."""
        return self.slack_client_id is not None

    def require_bot_credentials(self) -> None:
        """One workspace needs a bot token; many need the OAuth client id and secret, and a
        key to encrypt each workspace's bot token in the database."""
        if self.many_workspaces:
            self.require("SLACK_CLIENT_SECRET", "DEALCOACH_ENCRYPTION_KEY")
        else:
            self.require("SLACK_BOT_TOKEN")

    def require(self, *names: str) -> None:
        """Stop with a one-line :class:`SettingsError` if any named secret is unset."""
        for name in names:
            if getattr(self, name.lower()) is None:
                raise SettingsError(f"{name} is not set: it needs {HOW_TO_SET[name]}.")

    @property
    def bot_token(self) -> str:
        self.require("SLACK_BOT_TOKEN")
        assert self.slack_bot_token is not None
        return self.slack_bot_token.get_secret_value()

    @property
    def encryption_keys(self) -> list[str]:
        self.require("DEALCOACH_ENCRYPTION_KEY")
        assert self.dealcoach_encryption_key is not None
        return [key.strip() for key in self.dealcoach_encryption_key.get_secret_value().split(",")]

    @property
    def signing_secret(self) -> str:
        self.require("SLACK_SIGNING_SECRET")
        assert self.slack_signing_secret is not None
        return self.slack_signing_secret.get_secret_value()


def load_settings(**overrides: Any) -> Settings:
    """Read settings; turn pydantic's report into one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "a setting"
        problem = str(error["msg"]).removeprefix("Value error, ")
        need = HOW_TO_SET.get(name, "a valid value")
        raise SettingsError(f"{name} {problem}: it needs {need}.") from None
