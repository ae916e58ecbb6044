"""Checks a long-running process makes before it serves: each failure is one line.

A driver that is not installed or a database that does not answer would otherwise
surface as a long traceback from deep inside SQLAlchemy; here they become a
:class:`~bot.settings.SettingsError` naming ``DATABASE_URL`` and the fix, and never
the password.
"""

from __future__ import annotations

import gc
import importlib.util
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import NoSuchModuleError, OperationalError

from bot.db.session import make_engine
from bot.settings import SettingsError

POSTGRES_EXTRA = "pip install 'dealcoach[postgres]'"


def _where(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def database_engine(database_url: str, *, timeout_seconds: int) -> Engine:
    """An engine for ``DATABASE_URL`` that has answered one query, or a one-line error."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    kwargs: dict[str, Any] = {}
    if backend == "postgresql":
        kwargs = {"connect_args": {"connect_timeout": timeout_seconds}}
    try:
        engine = make_engine(database_url, **kwargs)
    except (ModuleNotFoundError, NoSuchModuleError):
        raise SettingsError(_missing_driver(url)) from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
        if url.password:
            reason = reason.replace(str(url.password), "***")
        where = _where(url) if backend != "sqlite" else (url.database or "memory")
        raise SettingsError(
            f"DATABASE_URL: the database at {where} does not answer within "
            f"{timeout_seconds} s ({reason}): check that it runs and that host, port, "
            "user and password are right."
        ) from None
    return engine


def _missing_driver(url: URL) -> str:
    driver = url.get_driver_name()
    if url.get_backend_name() == "postgresql":
        if importlib.util.find_spec("psycopg") is None:
            return (
                f"DATABASE_URL needs the PostgreSQL driver ({driver}), which is not installed: "
                f"run {POSTGRES_EXTRA} and use a postgresql+psycopg://… URL."
            )
        return (
            f"DATABASE_URL names the {driver} driver, which is not installed: "
            "write postgresql+psycopg://user:password@host:5432/dbname instead "
            f"(psycopg comes with {POSTGRES_EXTRA})."
        )
    return f"DATABASE_URL names the {driver} driver, which is not installed."


def built() -> None:
    """A long-running process is built: resume the cyclic garbage collector `dealcoach`
    paused for its start-up (``bot/cli.py``). What start-up made (modules, classes, config,
    the app) lives as long as the process, so it is frozen first: no collection walks it
    again. The few hundred cyclic objects start-up left over stay too. Without the pause
    (a test that builds a runtime itself) this does nothing."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


#: prometheus_client's own variable: the folder where each process writes its figures.
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def share_metrics_across_processes() -> None:
    """For `serve` with worker processes: before prometheus_client is first imported, give
    this process and its workers (they inherit the environment) one folder for their
    figures, so ``/metrics`` counts the Slack calls the workers make; removed at exit.
    An operator's own ``PROMETHEUS_MULTIPROC_DIR`` is used as it is."""
    import atexit
    import os
    import shutil
    import sys
    import tempfile

    if os.environ.get(METRICS_DIR):
        return
    assert "prometheus_client" not in sys.modules, "too late: metrics already imported"
    folder = tempfile.mkdtemp(prefix="dealcoach-metrics-")
    os.environ[METRICS_DIR] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
