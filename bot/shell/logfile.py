"""The shell's logs go to a file, never between the lines of the conversation."""

from __future__ import annotations

import logging
import os
import tempfile
from collections import deque
from pathlib import Path

from bot.logs import TextFormatter


def default_log_path() -> Path:
    """A file of this session's own, in the system's temporary folder."""
    return Path(tempfile.gettempdir()) / f"dealcoach-shell-{os.getpid()}.log"


def send_logs_to(path: Path, level: str = "INFO") -> Path:
    """Every log record of this process goes to ``path`` (as text, secrets masked) and
    nowhere else."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(TextFormatter())
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    return path


def last_lines(path: Path, count: int = 20) -> list[str]:
    """The last ``count`` lines of the log (none when there is no file yet)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        return [line.rstrip("\n") for line in deque(handle, maxlen=count)]
