"""The team config, ``config/dealcoach.yaml``: teams, SLAs, routing, revenue, hours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    Field,
    PrivateAttr,
    model_validator,
)

from bot.config.base import SlackUserId, TimeZoneName, _Strict
from bot.config.checklists import (
    Checklist,
    load_checklists,
    unknown_frameworks,
)
from bot.config.files import MAIN_FILE, ConfigError, ConfigProblem, read_yaml, validate_model
from bot.config.holidays import PublicHolidays
from bot.config.reports import ProductGaps, Reports
from bot.config.routing import Routing
from bot.config.tips import Coaching, Tip, load_tips
from bot.crm.config import CrmConfig
from bot.domain.enums import Role, Weekday


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
    #: Public holidays that count as days off (a team's or a person's own win over these).
    holidays: PublicHolidays | None = None
    #: A person's own public holidays, by Slack user id (someone working from elsewhere).
    holidays_by_person: dict[SlackUserId, PublicHolidays] = {}

    @model_validator(mode="after")
    def _end_after_start(self) -> WorkingHours:
        if self.end <= self.start:
            raise ValueError("end must be later than start")
        if not self.days:
            raise ValueError("days must name at least one working day")
        return self

    @property
    def weekday_indexes(self) -> frozenset[int]:
        return _weekday_indexes(tuple(self.days))


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

    def steps(self) -> tuple[EscalationStep, ...]:
        """The assignee at the acknowledgement SLA; the assignee again, the SE manager and
        the rep at the escalation SLA; the SE manager with a reassignment suggestion at
        twice that."""
        if self.escalation is not None:
            return tuple(self.escalation)
        return _default_steps(self.acknowledge_hours, self.escalate_hours)


# Cached by value, not on the models: ``model_copy(update=...)`` (a person's own working
# days) copies an instance's cached attributes along with it.
@lru_cache(maxsize=64)
def _weekday_indexes(days: tuple[Weekday, ...]) -> frozenset[int]:
    """Read for every business-hours sum."""
    return frozenset(day.number for day in days)


@lru_cache(maxsize=16)
def _default_steps(acknowledge_hours: float, escalate_hours: float) -> tuple[EscalationStep, ...]:
    """Read for every new handoff."""
    return (
        EscalationStep(after_hours=acknowledge_hours, notify=["assignee"]),
        EscalationStep(after_hours=escalate_hours, notify=["assignee", "se_manager", "rep"]),
        EscalationStep(
            after_hours=2 * escalate_hours,
            notify=["se_manager"],
            suggest_reassign=True,
        ),
    )


class Team(_Strict):
    name: str = Field(min_length=1)
    reps: list[SlackUserId] = []
    ses: list[SlackUserId] = Field(min_length=1)
    se_managers: list[SlackUserId] = []
    #: Sales managers see the team's report and weekly digest, like its SE managers.
    sales_managers: list[SlackUserId] = []
    #: The qualification checklist the team's deals are walked through: a file
    #: ``checklists/<framework>.yaml`` beside dealcoach.yaml.
    framework: str = "default"
    #: The team's public holidays, when they differ from ``working_hours.holidays``.
    holidays: PublicHolidays | None = None


class Qualification(_Strict):
    """When a deal's open checklist items earn its owner a reminder."""

    #: Days before the close date that the owner hears about gaps still open.
    nudge_days_before_close: int = Field(default=14, ge=1, le=365)
    #: At most one such reminder per deal in this many days.
    nudge_interval_days: int = Field(default=7, ge=1, le=365)


class Digest(_Strict):
    """When several nudges reach one person at once, they go as one message."""

    #: Items shown in one digest; the rest are counted ("and 3 more").
    max_items: int = Field(default=5, ge=1, le=10)


class Locale(_Strict):
    """How the team writes money and dates when a person's own settings don't say."""

    #: Amounts are whole units of this currency (ISO 4217 code), e.g. USD or EUR.
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    #: How "11/12" is read: ``month_first`` (Nov 12) or ``day_first`` (11 Dec).
    date_order: Literal["month_first", "day_first"] = "month_first"


class Uninstall(_Strict):
    """What happens when a workspace removes the app."""

    #: Days its people, deals, handoffs and due work are kept after the app is removed
    #: (reinstalling within them keeps everything); 0 forgets them at once.
    forget_after_days: int = Field(default=30, ge=0, le=3650)


class DealCoachConfig(_Strict):
    teams: list[Team] = Field(min_length=1)
    locale: Locale = Locale()
    sla: Sla = Sla()
    working_hours: WorkingHours = WorkingHours()
    revenue: Revenue = Revenue()
    routing: Routing = Routing()
    digest: Digest = Digest()
    coaching: Coaching = Coaching()
    qualification: Qualification = Qualification()
    uninstall: Uninstall = Uninstall()
    crm: CrmConfig = CrmConfig()
    product_gaps: ProductGaps = ProductGaps()
    reports: Reports = Reports()
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

    def holidays_for(self, slack_user_id: str) -> PublicHolidays | None:
        """A person's own public holidays, else their first team's, else everyone's."""
        own = self.working_hours.holidays_by_person.get(slack_user_id)
        if own is not None:
            return own
        for team in self.teams_of(slack_user_id):
            if team.holidays is not None:
                return team.holidays
        return self.working_hours.holidays

    def report_teams(self, slack_user_id: str) -> list[Team]:
        """The teams whose report this person may see: those they manage (SE or sales)."""
        return [
            team
            for team in self.teams
            if slack_user_id in (*team.se_managers, *team.sales_managers)
        ]

    def report_readers(self) -> list[str]:
        """Everyone who gets the weekly digest, in config order, each once."""
        readers: list[str] = []
        for team in self.teams:
            readers.extend(m for m in (*team.se_managers, *team.sales_managers) if m not in readers)
        return readers

    def managers_for(self, *slack_user_ids: str) -> list[str]:
        """SE managers of every team any of these people belong to, in config order."""
        managers: list[str] = []
        for user_id in slack_user_ids:
            for team in self.teams_of(user_id):
                managers.extend(m for m in team.se_managers if m not in managers)
        return managers


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


def routing_problems(config: DealCoachConfig, path: Path) -> list[ConfigProblem]:
    """SEs routed who are in no team, areas nobody covers, areas that do not exist."""
    team_ses = [se for team in config.teams for se in team.ses]
    return [
        ConfigProblem(str(path), field, problem)
        for field, problem in config.routing.problems(team_ses)
    ]
