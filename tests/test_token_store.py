"""Tokens in the installation store are sealed with Fernet, and keys rotate."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine, select, text

from bot.db.models import Workspace
from bot.db.session import SessionFactory
from bot.db.slack_stores import EncryptedInstallationStore
from bot.db.slack_tables import BOTS_TABLE, INSTALLATIONS_TABLE
from tests.conftest import START

TOKEN = "xoxb-1111111111-2222222222-abcdefghijklmnopqrstuvwx"
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def store(engine: Engine, *keys: str) -> EncryptedInstallationStore:
    return EncryptedInstallationStore(
        keys=list(keys),
        client_id="111.222",
        engine=engine,
        installations_table_name=INSTALLATIONS_TABLE,
        bots_table_name=BOTS_TABLE,
    )


def test_tokens_are_sealed_at_rest_and_open_after_a_key_rotation(
    engine: Engine, session_factory: SessionFactory
) -> None:
    installation = Installation(
        app_id="A1", team_id="T0DEALCO1", user_id="U0REP0001", bot_token=TOKEN, bot_id="B1"
    )
    store(engine, OLD).save(installation)
    assert installation.bot_token == TOKEN  # the caller's object is left alone

    with engine.connect() as connection:
        stored = [
            *connection.execute(text("SELECT bot_token FROM slack_bots")).scalars(),
            *connection.execute(text("SELECT bot_token FROM slack_installations")).scalars(),
        ]
    assert len(stored) == 2 and all(TOKEN not in value for value in stored)

    rotated = store(engine, NEW, OLD)  # the new key first, the old one still readable
    bot = rotated.find_bot(enterprise_id=None, team_id="T0DEALCO1")
    assert bot is not None and bot.bot_token == TOKEN
    found = rotated.find_installation(enterprise_id=None, team_id="T0DEALCO1")
    assert found is not None and found.bot_token == TOKEN

    # Without the key that sealed it, a stored token does not open.
    with pytest.raises(InvalidToken):
        store(engine, NEW).find_bot(enterprise_id=None, team_id="T0DEALCO1")


def test_installing_again_within_the_grace_period_keeps_the_workspace(
    engine: Engine, session_factory: SessionFactory
) -> None:
    with session_factory() as session, session.begin():
        session.add(Workspace(slack_team_id="T0DEALCO1", created_at=START, uninstalled_at=START))
    store(engine, NEW).save(
        Installation(app_id="A1", team_id="T0DEALCO1", user_id="U1", bot_token=TOKEN)
    )
    with session_factory() as session:
        workspace = session.scalars(select(Workspace)).one()
    assert workspace.uninstalled_at is None
