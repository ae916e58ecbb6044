"""Alembic from code: upgrade, and the check that stops `serve` on an old schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text


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


#: PostgreSQL advisory lock key held while migrating ("dealcoach" in ASCII, as a number).
MIGRATION_LOCK = 0x6465616C636F6163


def upgrade(database_url: str, revision: str = "head") -> list[str]:
    """Upgrade to ``revision`` and return the revisions applied, oldest first.

    On PostgreSQL the whole upgrade holds an advisory lock, so replicas that start
    together run it one after another: the first migrates, the rest find nothing to do.
    """
    from bot.db.session import make_engine

    config = alembic_config(database_url)
    script = ScriptDirectory.from_config(config)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
            try:
                before = set(MigrationContext.configure(connection).get_current_heads())
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                connection.commit()
            finally:
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK}
                    )
                    connection.commit()
    finally:
        engine.dispose()
    return _since(script, before, revision)


def _since(script: ScriptDirectory, before: set[str], revision: str) -> list[str]:
    applied = []
    for step in script.iterate_revisions(revision, "base"):
        if step.revision in before:
            break
        applied.append(step.revision)
    return list(reversed(applied))


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
