"""The tables of slack_sdk's OAuth stores, declared on our metadata so Alembic owns them.

For installs into many workspaces (Slack's OAuth flow) slack_sdk keeps installations,
bot tokens and short-lived OAuth states in its own tables; building them here means
`dealcoach db upgrade` creates them and the schema test covers them.

Only the migrations, the tests and the many-workspace app import this module: the
stores' modules pull in SQLAlchemy's asyncio extension, which one workspace never needs
(`bench/startup.py` measures what that costs at start-up).
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.db.base import Base

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"

SQLAlchemyInstallationStore.build_installations_table(Base.metadata, INSTALLATIONS_TABLE)
SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS_TABLE)
SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, OAUTH_STATES_TABLE)
