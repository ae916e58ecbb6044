"""The data a sales team edits: ``config/dealcoach.yaml`` and friends, split by subject.

Everything is validated with pydantic models that forbid unknown keys, so a typo
is reported (file, field, problem) instead of silently ignored. ``team`` is the main
file, ``checklists`` and ``tips`` the files beside it, ``files`` the YAML reading they
share; the enums the models also use live in ``bot.domain.enums``.
"""

from __future__ import annotations

from bot.config.base import SlackUserId, TimeZoneName
from bot.config.checklists import (
    CHECKLIST_DIR,
    CHECKLIST_KEY,
    CHECKLIST_MAX_ITEMS,
    Checklist,
    ChecklistItem,
    load_checklists,
    unknown_frameworks,
)
from bot.config.files import MAIN_FILE, ConfigError, ConfigProblem, read_yaml, validate_model
from bot.config.holidays import PublicHolidays
from bot.config.reports import (
    DEFAULT_FEATURE_AREAS,
    GapWeightName,
    GapWeights,
    ProductGaps,
    Reports,
)
from bot.config.routing import Routing
from bot.config.team import (
    DealCoachConfig,
    Digest,
    EscalationAudience,
    EscalationStep,
    Locale,
    Qualification,
    Revenue,
    RevenueProfile,
    Sla,
    Team,
    Uninstall,
    WorkingHours,
    load_config,
)
from bot.config.tips import (
    DEFAULT_JARGON,
    GENERAL_TIPS_PER_CALL,
    TIPS_FILE,
    Coaching,
    Tip,
    TipLibrary,
    load_tips,
)
from bot.domain.enums import CallType, DealSignal, Role, TipRole, Weekday

__all__ = [
    "CHECKLIST_DIR",
    "CHECKLIST_KEY",
    "CHECKLIST_MAX_ITEMS",
    "DEFAULT_FEATURE_AREAS",
    "DEFAULT_JARGON",
    "GENERAL_TIPS_PER_CALL",
    "MAIN_FILE",
    "TIPS_FILE",
    "CallType",
    "Checklist",
    "ChecklistItem",
    "Coaching",
    "ConfigError",
    "ConfigProblem",
    "DealCoachConfig",
    "DealSignal",
    "Digest",
    "EscalationAudience",
    "EscalationStep",
    "GapWeightName",
    "GapWeights",
    "Locale",
    "ProductGaps",
    "PublicHolidays",
    "Qualification",
    "Reports",
    "Revenue",
    "RevenueProfile",
    "Role",
    "Routing",
    "Sla",
    "SlackUserId",
    "Team",
    "TimeZoneName",
    "Tip",
    "TipLibrary",
    "TipRole",
    "Uninstall",
    "Weekday",
    "WorkingHours",
    "load_checklists",
    "load_config",
    "load_tips",
    "read_yaml",
    "unknown_frameworks",
    "validate_model",
]
