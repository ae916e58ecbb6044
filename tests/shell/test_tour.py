"""The README's tour transcript is what the shell does today (it cannot go stale)."""

from __future__ import annotations

from pathlib import Path

from bot.shell.tour import transcript

TOUR_FILE = Path(__file__).resolve().parents[2] / "docs" / "tour.md"


def test_the_tour_transcript_matches_a_fresh_run() -> None:
    code, fresh = transcript()
    assert code == 0, fresh
    assert TOUR_FILE.read_text(encoding="utf-8") == fresh, (
        "docs/tour.md is stale: run `.venv/bin/python -m bot.shell.tour docs/tour.md` and commit it"
    )


def test_the_readme_links_the_tour() -> None:
    readme = (TOUR_FILE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(docs/tour.md)" in readme
