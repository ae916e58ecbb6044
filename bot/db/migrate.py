"""Alembic from code: upgrade, and the check that stops `serve` on an old schema.

The check is cheap: it reads the ``alembic_version`` row and compares it with the head
revision read from the migration files' ``revision``/``down_revision`` lines, so `serve`
and `/healthz` never import alembic (about a third of start-up's own imports); only
``upgrade`` does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


def _project_root() -> Path:
    """Where alembic.ini lives: the source tree, or the working directory of an installed copy."""
    source = Path(__file__).resolve().parents[2]
    return source if (source / "alembic.ini").exists() else Path.cwd()


class SchemaBehind(Exception):
    """The database is not at the code's migration head; the message names the fix."""


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

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
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

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


_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(.+)$", re.MULTILINE)


def heads(database_url: str = "") -> tuple[str, ...]:
    """The migrations' head revisions, read from the files without importing alembic
    (``tests/test_migrations.py`` checks this against alembic's own answer)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_project_root() / "migrations" / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            found = set(re.findall(r"[\"']([^\"']+)[\"']", value))
            (revisions if name == "revision" else parents).update(found)
    return tuple(sorted(revisions - parents))


def current(engine: Engine) -> tuple[str, ...]:
    """The revisions the database is at (none for an empty database)."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:  # no alembic_version table: never migrated
            return ()
        return tuple(sorted(row[0] for row in rows))


def require_current(engine: Engine, database_url: str) -> None:
    """Raise :class:`SchemaBehind` unless the database is at head."""
    have, want = current(engine), heads(database_url)
    if set(have) != set(want):
        at = ", ".join(have) or "an empty database"
        raise SchemaBehind(
            f"The database schema is at {at} but this version needs {', '.join(want)}. "
            "Run `dealcoach db upgrade` and start again."
        )
