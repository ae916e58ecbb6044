"""`alembic upgrade head` on an empty database gives exactly the models' schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.db import migrate
from bot.db.base import Base
from bot.db.session import make_engine
from tests.conftest import fresh_database


def test_upgrade_head_matches_the_models(backend: str, tmp_path: Path) -> None:
    for url in fresh_database(backend, tmp_path):
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, Base.metadata) == []
            migrate.require_current(engine, url)
        finally:
            engine.dispose()


def test_serve_refuses_a_schema_behind_head(backend: str, tmp_path: Path) -> None:
    for url in fresh_database(backend, tmp_path):
        engine = make_engine(url)
        try:
            try:
                migrate.require_current(engine, url)
            except migrate.SchemaBehind as exc:
                assert "dealcoach db upgrade" in str(exc)
            else:
                raise AssertionError("an empty database passed the schema check")
        finally:
            engine.dispose()
