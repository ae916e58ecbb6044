"""``dealcoach check-config``: every config file and the Slack app manifest, checked together."""

from __future__ import annotations

from pathlib import Path

from bot.config.files import ConfigError, ConfigProblem
from bot.config.team import load_config
from bot.config.tips import TIPS_FILE
from bot.manifest import check_manifest


def check_config(config_dir: Path) -> list[ConfigProblem]:
    """Validate every config file in ``config_dir``; an empty list means all is well."""
    problems: list[ConfigProblem] = []
    try:
        load_config(config_dir)
    except ConfigError as exc:
        problems.extend(exc.problems)
    if not (config_dir / TIPS_FILE).exists():
        problems.append(
            ConfigProblem(
                str(config_dir / TIPS_FILE),
                "(file)",
                "file not found: pre-call DMs would carry no tips; copy config/tips.yaml "
                "from the Deal Coach repository",
            )
        )
    problems.extend(check_manifest(config_dir))
    return problems
