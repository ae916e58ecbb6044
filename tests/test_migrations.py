"""`alembic upgrade head` on an empty database gives exactly the models' schema."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory

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


def test_upgrade_reports_what_it_applied_and_two_at_once_do_not_race(
    backend: str, tmp_path: Path
) -> None:
    """Two replicas running `dealcoach db upgrade` together: PostgreSQL's advisory lock
    lets one migrate while the other waits, then finds nothing left to do."""
    for url in fresh_database(backend, tmp_path):
        everything = list(reversed([s.revision for s in _revisions(url)]))
        if backend != "postgresql":
            assert migrate.upgrade(url) == everything
            assert migrate.upgrade(url) == []
            continue
        pool = ThreadPoolExecutor(2)
        futures = [pool.submit(migrate.upgrade, url) for _ in range(2)]
        try:
            results = sorted((future.result(timeout=60) for future in futures), key=len)
        finally:
            pool.shutdown(wait=False)
        assert results == [[], everything]


def _revisions(url: str) -> list[Script]:
    return list(ScriptDirectory.from_config(migrate.alembic_config(url)).walk_revisions())


def test_the_cheap_head_read_from_the_files_is_alembics_head(database_url: str) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config(database_url))
    assert migrate.heads() == tuple(sorted(script.get_heads()))
