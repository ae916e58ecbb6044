"""The tables of slack_sdk's OAuth stores, declared on our metadata so Alembic owns them.

For installs into many workspaces (Slack's OAuth flow) slack_sdk keeps installations,
bot tokens and short-lived OAuth states in its own tables; building them here means
`dealcoach db upgrade` creates them and the schema test covers them. Tokens in them are
encrypted with ``DEALCOACH_ENCRYPTION_KEY`` (:class:`EncryptedInstallationStore`).

Only the migrations, the tests and the many-workspace app import this module: the
stores' modules pull in SQLAlchemy's asyncio extension, which one workspace never needs
(`bench/startup.py` measures what that costs at start-up).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import update

from bot.db.base import Base
from bot.db.slack_tables import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

SQLAlchemyInstallationStore.build_installations_table(Base.metadata, INSTALLATIONS_TABLE)
SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS_TABLE)
SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, OAUTH_STATES_TABLE)


#: Every Fernet token starts with these bytes (version 0x80, base64): Slack tokens never do.
_SEALED = "gAAAAA"
_INSTALLATION_TOKENS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
_BOT_TOKENS = ("bot_token", "bot_refresh_token")


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store with every token encrypted at rest (Fernet).

    ``keys`` come newest first: new tokens are sealed with the first, stored ones are
    opened with whichever key sealed them, so a key is rotated by putting a new one in
    front, restarting, and dropping the old one once every workspace has been reinstalled
    or :meth:`reseal` has run.
    """

    def __init__(self, *, keys: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def _seal(self, value: str | None) -> str | None:
        if value is None or value.startswith(_SEALED):
            return value
        return self._fernet.encrypt(value.encode()).decode()

    def _open(self, value: str | None) -> str | None:
        if value is None or not value.startswith(_SEALED):
            return value  # stored before encryption was on
        return self._fernet.decrypt(value.encode()).decode()

    def save(self, installation: Installation) -> None:
        sealed = copy.copy(installation)
        for name in _INSTALLATION_TOKENS:
            setattr(sealed, name, self._seal(getattr(installation, name)))
        super().save(sealed)  # saves the bot too, through save_bot: already sealed
        if installation.team_id is not None:
            # Installed again within the grace period after an uninstall: keep its data.
            workspace = Base.metadata.tables["workspace"]
            with self.engine.begin() as connection:
                connection.execute(
                    update(workspace)
                    .where(workspace.c.slack_team_id == installation.team_id)
                    .values(uninstalled_at=None)
                )

    def save_bot(self, bot: Bot) -> None:
        sealed = copy.copy(bot)
        for name in _BOT_TOKENS:
            setattr(sealed, name, self._seal(getattr(bot, name)))
        super().save_bot(sealed)

    def find_bot(self, **kwargs: Any) -> Bot | None:
        bot = super().find_bot(**kwargs)
        if bot is not None:
            for name in _BOT_TOKENS:
                setattr(bot, name, self._open(getattr(bot, name)))
        return bot

    def find_installation(self, **kwargs: Any) -> Installation | None:
        installation = super().find_installation(**kwargs)
        if installation is not None:
            for name in _INSTALLATION_TOKENS:
                setattr(installation, name, self._open(getattr(installation, name)))
        return installation
