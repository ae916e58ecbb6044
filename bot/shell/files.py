"""Files the bot shared in the shell: saved where a person can open them, shown as a line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.standin import SlackStandIn
from bot.standin.store import Message


def default_folder() -> Path:
    """Outlives the shell's own temporary database, so a chart can be opened afterwards."""
    return Path(tempfile.gettempdir()) / "dealcoach-shell-files"


def shared_file_lines(standin: SlackStandIn, message: Message, folder: Path) -> list[str]:
    """Save each file shared with ``message`` into ``folder``; one line per file."""
    if not message.files:
        return []
    stored = {upload.id: upload for upload in standin.uploaded()}
    lines = []
    for shared in message.files:
        upload = stored.get(str(shared.get("id")))
        if upload is None or upload.data is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{upload.id}-{Path(upload.filename).name or 'file'}"
        path.write_bytes(upload.data)
        lines.append(f"[file] {upload.title or upload.filename}: {path}")
        if upload.alt_txt:
            lines.append(f"       {upload.alt_txt}")
    return lines
