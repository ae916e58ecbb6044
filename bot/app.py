"""Build the Bolt app. Nothing runs at import; every dependency is passed in."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot import listeners
from bot.clock import Clock, SystemClock
from bot.config import DealCoachConfig, load_config
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.settings import Settings
from bot.slack import errors


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for ``SLACK_API_URL`` that retries rate limits (honouring Retry-After),
    5xx answers and dropped connections with backoff."""
    return WebClient(
        token=token or settings.bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(
    settings: Settings,
    session_factory: SessionFactory,
    client: WebClient | None = None,
    *,
    config: DealCoachConfig | None = None,
    clock: Clock | None = None,
    socket_mode: bool = False,
    listener_executor: Executor | None = None,
) -> App:
    """The Bolt app with every listener registered.

    HTTP mode checks each request's signature (401 when it is missing, wrong or older
    than five minutes); Socket Mode has no signature to check. Listeners run on
    ``listener_executor`` after they ack (Bolt's thread pool when not given).
    """
    deps = Deps(
        config=config or load_config(settings.dealcoach_config_dir),
        session_factory=session_factory,
        clock=clock or SystemClock(),
    )
    app = App(
        client=client or make_client(settings),
        signing_secret="" if socket_mode else settings.signing_secret,
        request_verification_enabled=not socket_mode,
        token_verification_enabled=False,
        logger=logging.getLogger("dealcoach.bolt"),
        listener_executor=listener_executor,
    )
    errors.register(app)
    listeners.register_all(app, deps)
    return app
