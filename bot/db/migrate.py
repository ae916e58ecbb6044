"""Alembic from code: upgrade, and the check that stops `serve` on an old schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def _project_root() -> Path:
    """Where alembic.ini lives: the source tree, or the working directory of an installed copy."""
    source = Path(__file__).resolve().parents[2]
    return source if (source / "alembic.ini").exists() else Path.cwd()


class SchemaBehind(Exception):
    """The database is not at the code's migration head; the message names the fix."""


def alembic_config(database_url: str) -> Config:
    root = _project_root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def heads(database_url: str) -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())


def current(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as connection:
        return tuple(MigrationContext.configure(connection).get_current_heads())


def require_current(engine: Engine, database_url: str) -> None:
    """Raise :class:`SchemaBehind` unless the database is at head."""
    have, want = current(engine), heads(database_url)
    if set(have) != set(want):
        at = ", ".join(have) or "an empty database"
        raise SchemaBehind(
            f"The database schema is at {at} but this version needs {', '.join(want)}. "
            "Run `dealcoach db upgrade` and start again."
        )
