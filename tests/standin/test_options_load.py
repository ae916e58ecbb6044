"""The driver's options load: a signed ``block_suggestion`` to an app over HTTP, and the
answer checked as Slack checks it. The app here is a small Bolt app serving the deal
typeahead from the real services and builders on a real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import Engine, func, select

from bot.blocks import deals as deal_blocks
from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.db.models import Deal, Workspace
from bot.db.session import SessionFactory
from bot.services import deals, people
from bot.slack.ids import Field
from bot.standin import SlackStandIn
from bot.standin.driver import DriverError, SlackDriver
from bot.standin.store import StoredView
from bot.standin.validation import check_options_answer
from bot.web import BackgroundServer, wsgi_app
from tests.conftest import REP, START

SECRET = "options-signing-secret"
BROKEN = "broken_menu"


def typeahead_app(session_factory: SessionFactory, standin: SlackStandIn) -> App:
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    app = App(client=client, signing_secret=SECRET)

    @app.options(Field.DEAL.value)
    def deal_options(ack: Ack, body: dict[str, Any]) -> None:
        with session_factory() as session:
            workspace = session.scalars(
                select(Workspace).where(Workspace.slack_team_id == body["team"]["id"])
            ).one()
            found = deals.options(session=session, workspace=workspace, typed=body["value"])
            ack(**deal_blocks.options_payload(found, body["value"]))

    @app.options(BROKEN)
    def broken(ack: Ack) -> None:
        ack(options=[{"text": {"type": "plain_text", "text": "x" * 80}, "value": "a"}] * 2)

    return app


@pytest.fixture
def driver(
    session_factory: SessionFactory, engine: Engine, clock: AdjustableClock
) -> Iterator[SlackDriver]:
    with SlackStandIn(clock=clock) as standin:
        app = typeahead_app(session_factory, standin)
        server = BackgroundServer(wsgi_app(app, engine, signing_secret=SECRET)).start()
        try:
            yield SlackDriver(
                standin, events_url=f"{server.url}/slack/events", signing_secret=SECRET
            )
        finally:
            server.stop()


def seed(
    session_factory: SessionFactory, config: DealCoachConfig, team_id: str, names: list[str]
) -> None:
    with session_factory.begin() as session:
        workspace = people.workspace(session=session, slack_team_id=team_id, now=START)
        owner = people.person(
            session=session,
            workspace=workspace,
            slack_user_id=REP,
            config=config,
            now=START,
            profile=people.Profile(REP, "rep", "Europe/Berlin"),
        )
        for minutes, name in enumerate(names):
            deals.create(
                session=session,
                workspace=workspace,
                name=name,
                owner=owner,
                now=START + timedelta(minutes=minutes),
            )


def modal(*fields: dict[str, Any]) -> StoredView:
    payload = {"type": "modal", "callback_id": "handoff_new", "blocks": list(fields)}
    return StoredView(id="V0DEALS01", type="modal", user_id=REP, hash="1.abc", payload=payload)


def test_typing_offers_matching_deals_most_recent_first_and_create_last(
    driver: SlackDriver, session_factory: SessionFactory, config: DealCoachConfig
) -> None:
    seed(session_factory, config, driver.team_id, ["Acme Corp", "Globex", "Acme East", "Initech"])
    before = _deal_count(session_factory)
    options = driver.suggest(REP, modal(deal_blocks.deal_field()), Field.DEAL.value, "acm")
    assert options.texts == ["Acme East", "Acme Corp", "Create “acm”"]
    assert options.choices[-1][1] == "new:acm"
    assert _deal_count(session_factory) == before  # asking writes nothing


def test_at_most_100_options_and_a_typo_still_finds_the_deal(
    driver: SlackDriver, session_factory: SessionFactory, config: DealCoachConfig
) -> None:
    seed(
        session_factory,
        config,
        driver.team_id,
        [f"Region {n:03}" for n in range(150)] + ["Initech"],
    )
    many = driver.suggest(REP, modal(deal_blocks.deal_field()), Field.DEAL.value, "region")
    assert len(many.choices) == 100
    assert many.texts[0] == "Region 149"
    assert many.texts[-1] == "Create “region”"
    typo = driver.suggest(REP, modal(deal_blocks.deal_field()), Field.DEAL.value, "Inittech")
    assert typo.texts == ["Initech", "Create “Inittech”"]


def test_an_invalid_answer_or_a_short_query_is_reported(driver: SlackDriver) -> None:
    broken = deal_blocks.deal_field()
    broken["element"] = {**broken["element"], "action_id": BROKEN}
    with pytest.raises(DriverError, match="75 characters"):
        driver.suggest(REP, modal(broken), BROKEN, "anything")
    with pytest.raises(DriverError, match="waits for 1 characters"):
        driver.suggest(REP, modal(deal_blocks.deal_field()), Field.DEAL.value, "")


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ([], "JSON object"),
        ({}, "exactly one"),
        ({"options": [{"text": {"type": "mrkdwn", "text": "a"}, "value": "a"}]}, "plain_text"),
        ({"options": [{"text": {"type": "plain_text", "text": "a"}, "value": "v" * 151}]}, "150"),
        (
            {"options": [{"text": {"type": "plain_text", "text": "a"}, "value": "a"}] * 101},
            "at most 100",
        ),
        (
            {"option_groups": [{"label": {"type": "plain_text", "text": "g"}, "options": "no"}]},
            "list",
        ),
    ],
)
def test_options_answers_are_checked_as_slack_checks_them(answer: Any, problem: str) -> None:
    assert any(problem in found for found in check_options_answer(answer))


def test_a_good_grouped_answer_passes() -> None:
    option = {"text": {"type": "plain_text", "text": "Acme"}, "value": "deal:1"}
    group = {"label": {"type": "plain_text", "text": "Recent"}, "options": [option]}
    assert check_options_answer({"option_groups": [group]}) == []


def _deal_count(session_factory: SessionFactory) -> int:
    with session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(Deal)) or 0)
