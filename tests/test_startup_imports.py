"""A one-workspace `serve` does not load the many-workspace OAuth stack, nor before it
listens what only its sweep needs (both cost start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.db import migrate

ROOT = Path(__file__).resolve().parents[1]
OAUTH_MODULES = (
    "slack_sdk.oauth.installation_store.sqlalchemy",
    "slack_sdk.oauth.state_store.sqlalchemy",
    "sqlalchemy.ext.asyncio",
)
#: What `serve` builds before it listens (runtime, app, WSGI front), then its sweeper, which
#: it builds once it listens: the modules loaded by each point, one line each.
PROBE = """
import sys
from bot.config import load_config
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.web import wsgi_app
def loaded():
    print(" ".join(m for m in sys.argv[1:] if m in sys.modules) or "none")
settings = load_settings()
runtime = Runtime.start(settings, load_config(settings.dealcoach_config_dir))
wsgi_app(runtime.app(), runtime.engine, signing_secret="probe-secret")
loaded()
runtime.sweeper()
loaded()
"""
#: What only the sweep needs: APScheduler, its jobs and planners; the CRM's retrying and
#: the public holiday calendars load only when a CRM or holidays are configured.
SWEEP_MODULES = (
    "apscheduler",
    "bot.scheduler",
    "bot.scheduler.jobs",
    "bot.scheduler.planners",
    "tenacity",
    "holidays",
)


def _probe(
    tmp_path: Path, modules: tuple[str, ...] = OAUTH_MODULES, **extra: str
) -> tuple[str, str]:
    """Which of ``modules`` a one-process `serve` has loaded by the time it listens, and
    once its sweeper is built too."""
    url = f"sqlite:///{tmp_path}/dealcoach.db"
    migrate.upgrade(url)
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-probe",
        "SLACK_SIGNING_SECRET": "probe-secret",
        "DATABASE_URL": url,
        "DEALCOACH_CONFIG_DIR": str(ROOT / "bot" / "shell" / "sample"),
        **extra,
    }
    answer = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE, *modules],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    listening, with_sweep = answer.stdout.split("\n")[:2]
    return listening, with_sweep


def test_one_workspace_serve_imports_nothing_of_the_oauth_stack(tmp_path: Path) -> None:
    assert _probe(tmp_path) == ("none", "none")


def test_serve_listens_before_it_imports_what_only_the_sweep_needs(tmp_path: Path) -> None:
    listening, with_sweep = _probe(tmp_path, SWEEP_MODULES)
    assert listening == "none"
    assert "bot.scheduler.jobs" in with_sweep.split()  # the probe sees them once they load


@pytest.mark.parametrize("module", ["slack_sdk.oauth.installation_store.sqlalchemy"])
def test_many_workspaces_do_load_the_stores(tmp_path: Path, module: str) -> None:
    """The probe can see the stack when it is there, so the test above can fail."""
    loaded = _probe(
        tmp_path,
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="client-secret",
        DEALCOACH_ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )
    assert module in loaded[0].split()


def test_serve_starts_without_alembic_the_reports_the_crm_or_the_paraphrase_words(
    tmp_path: Path,
) -> None:
    heavy = (
        "alembic",
        "matplotlib",
        "hubspot",
        "simple_salesforce",
        "bot.coaching.paraphrase_words",  # its regexes compile at the first review
    )
    assert _probe(tmp_path, heavy) == ("none", "none")
