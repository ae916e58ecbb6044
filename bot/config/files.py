"""Reading YAML files and reporting each problem as file, field and problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ValidationError,
)

MAIN_FILE = "dealcoach.yaml"
#: libyaml's parser when PyYAML was built with it (ten times faster than the pure-Python one).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.problem}"


class ConfigError(Exception):
    """One or more config files are invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def read_yaml(path: Path) -> tuple[Any, list[ConfigProblem]]:
    """Parse one YAML file; a syntax error becomes a problem with its line number."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER), []  # noqa: S506 - a safe loader
    except FileNotFoundError:
        return None, [ConfigProblem(str(path), "(file)", "file not found")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [ConfigProblem(str(path), where, f"not valid YAML: {reason}")]


def validate_model(model: type[M], data: Any, path: Path) -> tuple[M | None, list[ConfigProblem]]:
    """Validate parsed YAML against ``model``, naming file and field for each error."""
    try:
        return model.model_validate(data if data is not None else {}), []
    except ValidationError as exc:
        problems = [
            ConfigProblem(
                str(path),
                _field_path(error["loc"]),
                str(error["msg"]).removeprefix("Value error, "),
            )
            for error in exc.errors()
        ]
        return None, problems
