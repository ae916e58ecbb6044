"""The data a sales team edits: ``config/dealcoach.yaml`` and friends.

Everything is validated with pydantic models that forbid unknown keys, so a typo
is reported (file, field, problem) instead of silently ignored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
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
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.routing_config import Routing

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


EscalationAudience = Literal["assignee", "rep", "se_manager"]


class EscalationStep(_Strict):
    """One step of a graduated escalation for a handoff nobody has accepted."""

    #: Business hours of the assignee since the handoff was opened (or reassigned).
    after_hours: float = Field(gt=0)
    notify: list[EscalationAudience] = Field(min_length=1)
    #: Ask the managers to consider passing it to someone else.
    suggest_reassign: bool = False


class Sla(_Strict):
    """Service levels for handoffs, in business hours of the assignee."""

    acknowledge_hours: float = Field(default=4, gt=0)
    escalate_hours: float = Field(default=8, gt=0)
    #: Explicit steps; when left out they follow from the two SLAs (see :meth:`steps`).
    escalation: list[EscalationStep] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Sla:
        if self.escalate_hours <= self.acknowledge_hours:
            raise ValueError("escalate_hours must be longer than acknowledge_hours")
        hours = [step.after_hours for step in self.escalation or []]
        if hours != sorted(set(hours)):
            raise ValueError("escalation steps must come in order of after_hours, each later")
        return self

    def steps(self) -> list[EscalationStep]:
        """The assignee at the acknowledgement SLA; the assignee again, the SE manager and
        the rep at the escalation SLA; the SE manager with a reassignment suggestion at
        twice that."""
        if self.escalation is not None:
            return list(self.escalation)
        return [
            EscalationStep(after_hours=self.acknowledge_hours, notify=["assignee"]),
            EscalationStep(
                after_hours=self.escalate_hours, notify=["assignee", "se_manager", "rep"]
            ),
            EscalationStep(
                after_hours=2 * self.escalate_hours,
                notify=["se_manager"],
                suggest_reassign=True,
            ),
        ]


class Team(_Strict):
    name: str = Field(min_length=1)
    reps: list[SlackUserId] = []
    ses: list[SlackUserId] = Field(min_length=1)
    se_managers: list[SlackUserId] = []
    #: The qualification checklist the team's deals are walked through: a file
    #: ``checklists/<framework>.yaml`` beside dealcoach.yaml.
    framework: str = "default"


# --- qualification: /qualify checklists ---------------------------------------------------

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


class Qualification(_Strict):
    """When a deal's open checklist items earn its owner a reminder."""

    #: Days before the close date that the owner hears about gaps still open.
    nudge_days_before_close: int = Field(default=14, ge=1, le=365)
    #: At most one such reminder per deal in this many days.
    nudge_interval_days: int = Field(default=7, ge=1, le=365)


# --- coaching: /precall tips and the /debrief paraphrase review --------------------------

TIPS_FILE = "tips.yaml"
#: Tips in one pre-call DM that apply to any deal; up to two more fit the deal's state.
GENERAL_TIPS_PER_CALL = 3


class CallType(StrEnum):
    DISCOVERY = "discovery"
    DEMO = "demo"
    TECHNICAL = "technical"
    NEGOTIATION = "negotiation"


class DealSignal(StrEnum):
    """Something true of a deal before a call that makes a tip fit better."""

    QUALIFICATION_GAPS = "qualification_gaps"
    OPEN_HANDOFFS = "open_handoffs"
    NO_CONFIRMED_PROBLEM = "no_confirmed_problem"
    CONFIRMED_PROBLEM = "confirmed_problem"


#: Words that sound impressive to sellers and mean little to buyers (teams can replace the list).
DEFAULT_JARGON = [
    "synergy",
    "leverage",
    "best-of-breed",
    "best in class",
    "paradigm",
    "holistic",
    "seamless",
    "cutting-edge",
    "next-gen",
    "big data",
    "game-changer",
    "end-to-end",
    "turnkey",
    "world-class",
    "value-add",
    "move the needle",
    "low-hanging fruit",
    "robust",
    "scalable",
    "digital transformation",
]


class Coaching(_Strict):
    """Pre-call tips and the post-call paraphrase check."""

    #: Minutes before a call that the rep and the SE get their tips.
    precall_lead_minutes: int = Field(default=30, ge=1, le=24 * 60)
    #: How long a call lasts when `/precall` does not say; the debrief request follows its end.
    call_minutes: int = Field(default=60, ge=5, le=8 * 60)
    #: Our product and feature names: in a paraphrase of the customer's problem they are
    #: solution talk.
    product_names: list[str] = []
    jargon: list[str] = DEFAULT_JARGON
    #: A paraphrase longer than this, read at ``words_per_minute``, is too long to say aloud.
    max_seconds_aloud: int = Field(default=30, ge=5, le=300)
    words_per_minute: int = Field(default=150, ge=60, le=300)

    @model_validator(mode="after")
    def _no_empty_words(self) -> Coaching:
        for name, words in (("product_names", self.product_names), ("jargon", self.jargon)):
            if any(not word.strip() for word in words):
                raise ValueError(f"{name} has an empty entry; remove it or write the word")
        return self


TipRole = Literal["rep", "se"]


class Tip(_Strict):
    """One coaching tip: who it is for, which calls, and the idea behind it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,47}$")
    roles: list[TipRole] = Field(min_length=1)
    #: Empty: every kind of call.
    call_types: list[CallType] = []
    #: Sent only when all of these hold for the deal, and then before the general tips.
    when: list[DealSignal] = []
    text: str = Field(min_length=10, max_length=400)
    #: Why it works, shown under the tip.
    idea: str = Field(min_length=10, max_length=400)

    def fits(self, role: TipRole, call_type: CallType) -> bool:
        return role in self.roles and (not self.call_types or call_type in self.call_types)


class TipLibrary(_Strict):
    tips: list[Tip] = Field(min_length=1)

    @field_validator("tips")
    @classmethod
    def _enough_to_rotate(cls, tips: list[Tip]) -> list[Tip]:
        ids = [tip.id for tip in tips]
        repeated = sorted({tip_id for tip_id in ids if ids.count(tip_id) > 1})
        if repeated:
            raise ValueError(f"tip ids must be unique; repeated: {', '.join(repeated)}")
        need = 2 * GENERAL_TIPS_PER_CALL
        for role in ("rep", "se"):
            for call_type in CallType:
                count = sum(1 for t in tips if not t.when and t.fits(role, call_type))
                if count < need:
                    raise ValueError(
                        f"{role} tips for {call_type.value} calls: {count} apply to any deal "
                        f"(no `when`), but a DM takes {GENERAL_TIPS_PER_CALL} and the next "
                        f"one must differ, so write at least {need}"
                    )
        return tips


class Digest(_Strict):
    """When several nudges reach one person at once, they go as one message."""

    #: Items shown in one digest; the rest are counted ("and 3 more").
    max_items: int = Field(default=5, ge=1, le=10)


class DealCoachConfig(_Strict):
    teams: list[Team] = Field(min_length=1)
    sla: Sla = Sla()
    working_hours: WorkingHours = WorkingHours()
    revenue: Revenue = Revenue()
    routing: Routing = Routing()
    digest: Digest = Digest()
    coaching: Coaching = Coaching()
    qualification: Qualification = Qualification()
    #: From checklists/*.yaml beside dealcoach.yaml (see :func:`load_config`), by key.
    _checklists: dict[str, Checklist] = PrivateAttr(default_factory=dict)
    #: From tips.yaml beside dealcoach.yaml (see :func:`load_config`), not from dealcoach.yaml.
    _tips: tuple[Tip, ...] = PrivateAttr(default=())

    @property
    def tips(self) -> tuple[Tip, ...]:
        return self._tips

    def with_tips(self, tips: Sequence[Tip]) -> DealCoachConfig:
        """A copy of this config carrying these pre-call tips."""
        copy = self.model_copy()
        copy._tips = tuple(tips)
        return copy

    @property
    def checklists(self) -> dict[str, Checklist]:
        return dict(self._checklists)

    def with_checklists(self, checklists: Sequence[Checklist]) -> DealCoachConfig:
        """A copy of this config carrying these qualification frameworks."""
        copy = self.model_copy()
        copy._checklists = {checklist.key: checklist for checklist in checklists}
        return copy

    def framework_for(self, *slack_user_ids: str) -> str:
        """The framework of the first team any of these people is on (else the first team's)."""
        for slack_user_id in slack_user_ids:
            teams = self.teams_of(slack_user_id)
            if teams:
                return teams[0].framework
        return self.teams[0].framework

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
    tips, tip_problems = load_tips(config_dir)
    checklists, checklist_problems = load_checklists(config_dir)
    if config is not None:
        checklist_problems += unknown_frameworks(config, checklists, path)
        checklist_problems += routing_problems(config, path)
    if config is None or tip_problems or checklist_problems:
        raise ConfigError(problems + tip_problems + checklist_problems)
    return config.with_tips(tips).with_checklists(checklists)


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


def routing_problems(config: DealCoachConfig, path: Path) -> list[ConfigProblem]:
    """SEs routed who are in no team, areas nobody covers, areas that do not exist."""
    team_ses = [se for team in config.teams for se in team.ses]
    return [
        ConfigProblem(str(path), field, problem)
        for field, problem in config.routing.problems(team_ses)
    ]


def load_tips(config_dir: Path) -> tuple[list[Tip], list[ConfigProblem]]:
    """The pre-call tips in ``tips.yaml``; none (and no problem) when there is no such file."""
    path = config_dir / TIPS_FILE
    if not path.exists():
        return [], []
    data, problems = read_yaml(path)
    if problems:
        return [], problems
    library, problems = validate_model(TipLibrary, data, path)
    return (list(library.tips) if library else []), problems


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
    from bot.manifest import check_manifest  # the manifest builder imports this module

    problems.extend(check_manifest(config_dir))
    return problems
