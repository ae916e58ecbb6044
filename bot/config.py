"""The data a sales team edits: ``config/dealcoach.yaml`` and friends.

Everything is validated with pydantic models that forbid unknown keys, so a typo
is reported (file, field, problem) instead of silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

MAIN_FILE = "dealcoach.yaml"

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def _slack_user_id(value: str) -> str:
    if not _SLACK_USER_ID.match(value):
        raise ValueError(f"{value!r} is not a Slack user id (they look like U012ABCDEF)")
    return value


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Berlin") from None
    return value


M = TypeVar("M", bound=BaseModel)

SlackUserId = Annotated[str, AfterValidator(_slack_user_id)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]


class Role(StrEnum):
    REP = "rep"
    SE = "se"
    SE_MANAGER = "se_manager"
    OTHER = "other"


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday is 0, as in :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RevenueProfile(_Strict):
    """What a rep's selling time is worth: the expert-trap figures."""

    new_revenue_per_year: float = Field(default=3_000_000, gt=0)
    selling_days_per_year: int = Field(default=240, gt=0, le=366)
    hours_per_day: float = Field(default=8, gt=0, le=24)


class Revenue(_Strict):
    default: RevenueProfile = RevenueProfile()
    #: Per-rep overrides, by Slack user id.
    reps: dict[SlackUserId, RevenueProfile] = {}
    #: Below this return on the rep's time, the rep should hand the problem off.
    roi_threshold: float = Field(default=3, gt=0)
    #: Hours a rep would spend on a problem when the handoff does not say.
    default_hours_per_issue: float = Field(default=8, gt=0, le=1000)

    def for_rep(self, slack_user_id: str) -> RevenueProfile:
        return self.reps.get(slack_user_id, self.default)


class WorkingHours(_Strict):
    start: time = time(9, 0)
    end: time = time(17, 0)
    days: list[Weekday] = [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI]
    #: Used for people whose Slack profile has no time zone.
    default_timezone: TimeZoneName = "UTC"

    @model_validator(mode="after")
    def _end_after_start(self) -> WorkingHours:
        if self.end <= self.start:
            raise ValueError("end must be later than start")
        if not self.days:
            raise ValueError("days must name at least one working day")
        return self

    @property
    def weekday_indexes(self) -> frozenset[int]:
        return frozenset(day.number for day in self.days)


class Sla(_Strict):
    """Service levels for handoffs, in business hours of the assignee."""

    acknowledge_hours: float = Field(default=4, gt=0)
    escalate_hours: float = Field(default=8, gt=0)

    @model_validator(mode="after")
    def _escalate_after_acknowledge(self) -> Sla:
        if self.escalate_hours <= self.acknowledge_hours:
            raise ValueError("escalate_hours must be longer than acknowledge_hours")
        return self


class Team(_Strict):
    name: str = Field(min_length=1)
    reps: list[SlackUserId] = []
    ses: list[SlackUserId] = Field(min_length=1)
    se_managers: list[SlackUserId] = []


class Routing(_Strict):
    #: How an SE is picked when the rep names none.
    strategy: Literal["round_robin"] = "round_robin"


class DealCoachConfig(_Strict):
    teams: list[Team] = Field(min_length=1)
    sla: Sla = Sla()
    working_hours: WorkingHours = WorkingHours()
    revenue: Revenue = Revenue()
    routing: Routing = Routing()

    @model_validator(mode="after")
    def _unique_team_names(self) -> DealCoachConfig:
        names = [team.name for team in self.teams]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"team names must be unique; repeated: {', '.join(duplicates)}")
        return self

    def role_of(self, slack_user_id: str) -> Role:
        """The strongest role a person has in any team."""
        roles = set()
        for team in self.teams:
            if slack_user_id in team.se_managers:
                roles.add(Role.SE_MANAGER)
            if slack_user_id in team.ses:
                roles.add(Role.SE)
            if slack_user_id in team.reps:
                roles.add(Role.REP)
        for role in (Role.SE_MANAGER, Role.SE, Role.REP):
            if role in roles:
                return role
        return Role.OTHER

    def teams_of(self, slack_user_id: str) -> list[Team]:
        return [
            team
            for team in self.teams
            if slack_user_id in (*team.reps, *team.ses, *team.se_managers)
        ]

    def managers_for(self, *slack_user_ids: str) -> list[str]:
        """SE managers of every team any of these people belong to, in config order."""
        managers: list[str] = []
        for user_id in slack_user_ids:
            for team in self.teams_of(user_id):
                managers.extend(m for m in team.se_managers if m not in managers)
        return managers


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
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
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


def load_config(config_dir: Path) -> DealCoachConfig:
    """Load ``dealcoach.yaml`` or raise :class:`ConfigError`."""
    path = config_dir / MAIN_FILE
    data, problems = read_yaml(path)
    if problems:
        raise ConfigError(problems)
    config, problems = validate_model(DealCoachConfig, data, path)
    if config is None:
        raise ConfigError(problems)
    return config


def check_config(config_dir: Path) -> list[ConfigProblem]:
    """Validate every config file in ``config_dir``; an empty list means all is well."""
    problems: list[ConfigProblem] = []
    try:
        load_config(config_dir)
    except ConfigError as exc:
        problems.extend(exc.problems)
    from bot.manifest import check_manifest  # the manifest builder imports this module

    problems.extend(check_manifest(config_dir))
    return problems
