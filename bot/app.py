"""Build the Bolt app. Nothing runs at import; every dependency is passed in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine

from bot import listeners
from bot.clock import Clock, SystemClock
from bot.config import DealCoachConfig, load_config
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.logs import ContextExecutor
from bot.manifest import REQUIRED_BOT_SCOPES as BOT_SCOPES
from bot.metrics import CountingRetries, MeteredWebClient, metered_client_middleware
from bot.settings import Settings
from bot.slack import ack_first, errors, work_processes
from bot.slack.ack_first import Forward
from bot.slack.input_guard import RefuseBadInput
from bot.slack.replays import SkipReplays
from bot.slack.work_gate import WorkGate, work_executor

if TYPE_CHECKING:  # the OAuth stack loads only for many workspaces (see bot/db/slack_stores.py)
    from slack_bolt.oauth.oauth_settings import OAuthSettings

    from bot.crm.interface import Crm
    from bot.db.slack_stores import EncryptedInstallationStore


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for ``SLACK_API_URL`` that retries rate limits (honouring Retry-After),
    5xx answers and dropped connections with backoff. Without a token it uses the single
    workspace's bot token, or none at all when installs go through OAuth."""
    if token is None and not settings.many_workspaces:
        token = settings.bot_token
    return MeteredWebClient(
        token=token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            CountingRetries(RateLimitErrorRetryHandler(max_retry_count=3), "rate_limited"),
            CountingRetries(ServerErrorRetryHandler(max_retry_count=2), "server_error"),
            CountingRetries(ConnectionErrorRetryHandler(max_retry_count=2), "connection"),
        ],
    )


def installation_store(
    settings: Settings, session_factory: SessionFactory
) -> EncryptedInstallationStore:
    """Where each workspace's installation and bot token live (tables from migration 0005),
    tokens encrypted with ``DEALCOACH_ENCRYPTION_KEY``."""
    from bot.db.slack_stores import EncryptedInstallationStore
    from bot.db.slack_tables import BOTS_TABLE, INSTALLATIONS_TABLE

    assert settings.slack_client_id is not None
    return EncryptedInstallationStore(
        keys=settings.encryption_keys,
        client_id=settings.slack_client_id,
        engine=_engine(session_factory),
        installations_table_name=INSTALLATIONS_TABLE,
        bots_table_name=BOTS_TABLE,
    )


def oauth_settings(settings: Settings, session_factory: SessionFactory) -> OAuthSettings:
    """Slack's install flow at /slack/install and /slack/oauth_redirect."""
    from slack_bolt.oauth.oauth_settings import OAuthSettings
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    from bot.db.slack_tables import OAUTH_STATES_TABLE

    settings.require("SLACK_CLIENT_SECRET")
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=installation_store(settings, session_factory),
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=600,
            engine=_engine(session_factory),
            table_name=OAUTH_STATES_TABLE,
        ),
    )


def _engine(session_factory: SessionFactory) -> Engine:
    bind = session_factory.kw["bind"]
    assert isinstance(bind, Engine)
    return bind


def clients_for(settings: Settings, session_factory: SessionFactory) -> Callable[[str], WebClient]:
    """Team id → a client with that workspace's bot token (for the sweep)."""
    if not settings.many_workspaces:
        client = make_client(settings)  # one workspace, one bot token
        return lambda _team_id: client
    store = installation_store(settings, session_factory)

    def for_team(team_id: str) -> WebClient:
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise SlackClientError(
                f"no installation for workspace {team_id}; install the app there again"
            )
        return make_client(settings, bot.bot_token)

    return for_team


def create_app(
    settings: Settings,
    session_factory: SessionFactory,
    client: WebClient | None = None,
    *,
    config: DealCoachConfig | None = None,
    clock: Clock | None = None,
    socket_mode: bool = False,
    listener_executor: Executor | None = None,
    gate: WorkGate | None = None,
    crm: Crm | None = None,
    forward: Forward | None = None,
    forwarded: bool = False,
) -> App:
    """The Bolt app with every listener registered.

    HTTP mode checks each request's signature (401 when it is missing, wrong or older
    than five minutes); Socket Mode has no signature to check. Listeners run on
    ``listener_executor`` and Slack is answered the moment they ack (``bot/slack/ack_first``);
    ``gate`` bounds the requests in the bot and the work after acks (defaults when not given).
    ``crm`` (when one is configured) lets a command find a deal the sync has not brought yet.
    With ``forward``, the work after each ack is handed to a worker process, whose own app
    is made with ``forwarded`` (``bot/slack/work_processes.py``): it runs what a serve
    process has checked and answered.
    """
    gate = gate or WorkGate()
    deps = Deps(
        config=config or load_config(settings.dealcoach_config_dir),
        session_factory=session_factory,
        clock=clock or SystemClock(),
        crm=crm,
    )
    app = App(
        name="dealcoach",  # else Bolt reads the source of every calling frame for one
        client=client or make_client(settings),
        oauth_settings=oauth_settings(settings, session_factory)
        if settings.many_workspaces
        else None,
        signing_secret="" if socket_mode or forwarded else settings.signing_secret,
        request_verification_enabled=not (socket_mode or forwarded),
        token_verification_enabled=False,
        logger=logging.getLogger("dealcoach.bolt"),
        listener_executor=ContextExecutor(listener_executor or work_executor(gate)),
    )
    errors.register(app)
    skip_replays = SkipReplays(deps)  # a replayed trigger_id or retried event_id: no second effect
    if forwarded:
        work_processes.install_forwarded(app, after_ack=skip_replays.after_ack)
    else:
        ack_first.install(app, gate, after_ack=skip_replays.after_ack, forward=forward)
    app.use(skip_replays)
    app.use(metered_client_middleware)
    app.use(RefuseBadInput())  # what no listener could use: forged ids, NUL bytes
    listeners.register_all(app, deps)
    return app
