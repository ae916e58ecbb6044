"""Installing into a workspace through Slack's OAuth flow, then working there."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from bot.app import clients_for, create_app
from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.scheduler.jobs import Sweeper
from bot.settings import Settings, load_settings
from bot.shell.harness import DrainingExecutor
from bot.standin import SlackStandIn
from bot.standin import requests as slack_requests
from bot.standin.driver import SlackDriver
from bot.web import BackgroundServer, wsgi_app
from tests.conftest import REP
from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.test_handoff import QUICK, card

pytestmark = pytest.mark.usefixtures("known_deals")

ENCRYPTION_KEY = "oE1ZJXr3XfHE3r6z0Jv9w3cG3wqf1Cq2mJ7o1pNfWkA="


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, cookie: str | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def oauth_settings(standin: SlackStandIn, database_url: str) -> Settings:
    return load_settings(
        _env_file=None,
        slack_client_id=standin.workspace.client_id,
        slack_client_secret=standin.workspace.client_secret,
        dealcoach_encryption_key=ENCRYPTION_KEY,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        database_url=database_url,
    )


@pytest.fixture
def installable(
    oauth_settings: Settings,
    session_factory: SessionFactory,
    engine: Engine,
    config: DealCoachConfig,
    clock: AdjustableClock,
) -> Iterator[tuple[str, DrainingExecutor]]:
    executor = DrainingExecutor()
    app = create_app(
        oauth_settings, session_factory, config=config, clock=clock, listener_executor=executor
    )
    server = BackgroundServer(
        wsgi_app(app, engine, signing_secret=oauth_settings.signing_secret)
    ).start()
    try:
        yield server.url, executor
        executor.drain()
    finally:
        server.stop()
        executor.shutdown(wait=True)


def test_install_then_hand_off_and_nudge(
    installable: tuple[str, DrainingExecutor],
    standin: SlackStandIn,
    oauth_settings: Settings,
    session_factory: SessionFactory,
    config: DealCoachConfig,
    clock: AdjustableClock,
) -> None:
    url, executor = installable
    driver = SlackDriver(standin, events_url=f"{url}/slack/events", signing_secret=SIGNING_SECRET)

    # Before anyone installed it, a command from the workspace is politely refused.
    assert driver.command(REP, QUICK).status == 200
    executor.drain()
    assert standin.calls_to("chat.postMessage") == []

    status, page, headers = get(f"{url}/slack/install")
    assert status == 200
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page)
    assert link is not None
    query = urllib.parse.parse_qs(urllib.parse.urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["client_id"] == [standin.workspace.client_id]
    assert "chat:write" in query["scope"][0]
    cookie = headers["Set-Cookie"].split(";")[0]

    code = standin.new_oauth_code(REP)
    callback = f"{url}/slack/oauth_redirect?code={code}&state={query['state'][0]}"
    status, page, _ = get(callback, cookie)
    assert status == 200, page
    # A reused code or a forged state does not install anything.
    assert get(f"{url}/slack/oauth_redirect?code={code}&state=forged", cookie)[0] != 200

    assert driver.command(REP, QUICK).status == 200
    executor.drain()
    assert "SSO with Okta" in str(card(_Bot(standin)).blocks)

    # The sweep finds the workspace's token in the installation store too.
    deps = Deps(config=config, session_factory=session_factory, clock=clock)
    sweeper = Sweeper(deps, clients_for(oauth_settings, session_factory), worker_id="oauth")
    clock.advance(timedelta(hours=4, minutes=1))
    assert sweeper.run_once().sent == 1

    # Tokens are stored encrypted, not as the token itself.
    with session_factory() as session:
        stored = session.execute(text("SELECT bot_token FROM slack_bots")).scalars().all()
    assert stored and all(standin.bot_token not in value for value in stored)
    assert all(value.startswith("gAAAAA") for value in stored)

    # The workspace removes the app: its tokens go at once (grace period 30 days).
    removed = slack_requests.event_callback(
        team_id=driver.team_id, event={"type": "app_uninstalled", "event_ts": "1.2"}
    )
    assert driver.post(removed).status == 200
    executor.drain()
    with session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM slack_bots")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM slack_installations")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM workspace")).scalar() == 1


class _Bot:
    """Just enough of the e2e ``Bot`` for :func:`card`."""

    def __init__(self, standin: SlackStandIn) -> None:
        self.standin = standin
