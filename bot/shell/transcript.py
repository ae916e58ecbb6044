"""The shell's conversation written out: ``:export FILE`` as Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable


def export_markdown(transcript: Iterable[str]) -> str:
    """The conversation as Markdown: each message a heading, its body kept as written."""
    out = ["# Deal Coach shell session", ""]
    body: list[str] = []

    def flush() -> None:
        if body:
            out.extend(["```text", *body, "```", ""])
            body.clear()

    for line in transcript:
        if line.startswith("── ") and line.endswith(" ──"):
            flush()
            out.extend([f"### {line[3:-3]}", ""])
        elif re.match(r"^[\w.-]+> ", line):
            flush()
            out.extend([f"**{line.split('> ', 1)[0]}** `{line.split('> ', 1)[1]}`", ""])
        elif line.strip():
            body.append(line)
        else:
            flush()
    flush()
    return "\n".join(out).rstrip() + "\n"
