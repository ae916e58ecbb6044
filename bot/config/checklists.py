"""Qualification checklists: one ``config/checklists/<key>.yaml`` per framework."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    Field,
    StringConstraints,
    field_validator,
)

from bot.config.base import _Strict
from bot.config.files import ConfigProblem, read_yaml, validate_model

if TYPE_CHECKING:
    from bot.config.team import DealCoachConfig


CHECKLIST_DIR = "checklists"


#: A framework's key is its file name; an item's key is stored with every answer.
CHECKLIST_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


#: Enough for any real framework, and the all-at-once form (three blocks per item) stays
#: inside Slack's 100-block modal limit.
CHECKLIST_MAX_ITEMS = 30


OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ChecklistItem(_Strict):
    """One thing to know about a deal, and how to find it out."""

    key: str = Field(pattern=CHECKLIST_KEY.pattern)
    title: Annotated[OneLine, Field(max_length=80)]
    #: Why it matters, in one line.
    why: Annotated[OneLine, Field(max_length=200)]
    #: What to ask the customer to find out.
    question: Annotated[OneLine, Field(max_length=300)]

    @field_validator("why", "question", "title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value:
            raise ValueError("keep it to one line")
        return value


class Checklist(_Strict):
    """A qualification framework, from ``checklists/<key>.yaml``."""

    #: The file name without ``.yaml``; teams refer to the framework by it.
    key: str = Field(pattern=CHECKLIST_KEY.pattern)
    name: Annotated[OneLine, Field(max_length=60)]
    items: list[ChecklistItem] = Field(min_length=1, max_length=CHECKLIST_MAX_ITEMS)

    @field_validator("items")
    @classmethod
    def _unique_keys(cls, items: list[ChecklistItem]) -> list[ChecklistItem]:
        keys = [item.key for item in items]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"item keys must be unique; repeated: {', '.join(repeated)}")
        return items

    def item(self, key: str) -> ChecklistItem | None:
        return next((item for item in self.items if item.key == key), None)


def load_checklists(config_dir: Path) -> tuple[list[Checklist], list[ConfigProblem]]:
    """Every ``checklists/*.yaml``, sorted by key; each bad file is reported, item by item."""
    checklists: list[Checklist] = []
    problems: list[ConfigProblem] = []
    for path in sorted((config_dir / CHECKLIST_DIR).glob("*.yaml")):
        key = path.stem
        if not CHECKLIST_KEY.match(key):
            problems.append(
                ConfigProblem(
                    str(path),
                    "(file name)",
                    "name checklist files in lowercase letters, digits and underscores, "
                    "e.g. my_team.yaml; the name is how dealcoach.yaml refers to it",
                )
            )
            continue
        data, read_problems = read_yaml(path)
        if read_problems:
            problems.extend(read_problems)
            continue
        if isinstance(data, dict) and "key" in data:
            problems.append(
                ConfigProblem(
                    str(path),
                    "key",
                    f"the file name is the framework's key ({key}); remove this line",
                )
            )
            continue
        content = {**data, "key": key} if isinstance(data, dict) else data
        checklist, found = validate_model(Checklist, content, path)
        problems.extend(found)
        if checklist is not None:
            checklists.append(checklist)
    return checklists, problems


def unknown_frameworks(
    config: DealCoachConfig, checklists: Sequence[Checklist], path: Path
) -> list[ConfigProblem]:
    """A problem for each team whose framework has no checklist file."""
    known = sorted(checklist.key for checklist in checklists)
    problems = []
    for number, team in enumerate(config.teams):
        if team.framework in known:
            continue
        close = difflib.get_close_matches(team.framework, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        choices = ", ".join(known) or "none yet"
        problems.append(
            ConfigProblem(
                str(path),
                f"teams[{number}].framework",
                f"no checklist called {team.framework!r}: {hint}add "
                f"{CHECKLIST_DIR}/{team.framework}.yaml or pick one of: {choices}",
            )
        )
    return problems
