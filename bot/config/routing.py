"""The ``routing:`` section of ``config/dealcoach.yaml``: who fits which handoff.

Product areas (with words that suggest them), what each SE covers and how many open
handoffs they take at most, the order of the routing rules, and what on a Slack profile
counts as "out of office". Kept apart from the rest of the team config so the routing
rules read in one place; :class:`bot.config.DealCoachConfig` carries it as ``routing``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

AREA_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Same shape as :data:`bot.config.SlackUserId`; repeated here so this module imports no config.
SLACK_USER_ID = r"^[UW][A-Z0-9]{2,}$"

Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class RoutingRule(StrEnum):
    """Which SEs of the rep's team a rule offers; rules are tried in the configured order."""

    #: Covers the handoff's product area and the deal's territory.
    AREA_AND_TERRITORY = "area_and_territory"
    #: Covers the handoff's product area.
    AREA = "area"
    #: Covers the deal's territory (or segment).
    TERRITORY = "territory"
    #: Any SE of the rep's team.
    TEAM = "team"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProductArea(_Strict):
    """A subject handoffs are about, e.g. SSO, and the words in a problem that suggest it."""

    #: How people see it on cards and buttons, e.g. "SSO".
    name: Label
    #: Words or short phrases, any case; whole words match ("api" does not match "capital").
    words: list[Word] = Field(min_length=1)


class SeCoverage(_Strict):
    """What one SE covers and how much they take on."""

    #: Keys of ``routing.areas``.
    areas: list[str] = []
    #: Territories or segments, e.g. EMEA, NA, Mid-market; compared ignoring case.
    territories: list[Label] = []
    #: Open (not yet resolved) handoffs at which routing stops giving them more.
    max_open: int | None = Field(default=None, ge=1, le=100)


DEFAULT_AWAY_WORDS = [
    "out of office",
    "ooo",
    "on leave",
    "vacation",
    "holiday",
    "holidays",
    "pto",
    "sick",
    "off today",
]
DEFAULT_AWAY_EMOJI = [":palm_tree:", ":beach_with_umbrella:", ":face_with_thermometer:"]


class OutOfOffice(_Strict):
    """A Slack status that means "away": any of these words in its text, or one of these emoji."""

    words: list[Word] = DEFAULT_AWAY_WORDS
    emoji: list[Annotated[str, StringConstraints(pattern=r"^:[a-z0-9_+'-]+:$")]] = (
        DEFAULT_AWAY_EMOJI
    )


class Routing(_Strict):
    """How an SE is picked when the rep names none."""

    #: Among equals, whoever was assigned least recently goes first.
    strategy: Literal["round_robin"] = "round_robin"
    #: By key (lowercase letters, digits, underscores), in the order the modal lists them.
    areas: dict[str, ProductArea] = {}
    #: By Slack user id; an SE left out covers no area or territory but still takes team work.
    ses: dict[Annotated[str, StringConstraints(pattern=SLACK_USER_ID)], SeCoverage] = {}
    rules: list[RoutingRule] = Field(
        default=[RoutingRule.AREA_AND_TERRITORY, RoutingRule.AREA, RoutingRule.TEAM],
        min_length=1,
    )
    #: Cap for SEs whose entry sets no ``max_open``.
    default_max_open: int = Field(default=8, ge=1, le=100)
    out_of_office: OutOfOffice = OutOfOffice()

    @field_validator("areas")
    @classmethod
    def _area_keys(cls, areas: dict[str, ProductArea]) -> dict[str, ProductArea]:
        bad = [key for key in areas if not AREA_KEY.match(key)]
        if bad:
            raise ValueError(
                f"area keys are lowercase letters, digits and underscores (e.g. sso, "
                f"data_warehouse); rename: {', '.join(bad)}"
            )
        return areas

    @field_validator("rules")
    @classmethod
    def _rules_once(cls, rules: list[RoutingRule]) -> list[RoutingRule]:
        if len(set(rules)) != len(rules):
            raise ValueError("name each rule once, e.g. [area_and_territory, area, team]")
        return rules

    def coverage(self, slack_user_id: str) -> SeCoverage:
        return self.ses.get(slack_user_id, SeCoverage())

    def cap(self, slack_user_id: str) -> int:
        return self.coverage(slack_user_id).max_open or self.default_max_open

    def area_name(self, key: str | None) -> str | None:
        area = self.areas.get(key) if key else None
        return area.name if area else None

    def area_words(self) -> list[tuple[str, Sequence[str]]]:
        """(key, words) in config order: what :func:`bot.coaching.routing.infer_area` reads."""
        return [(key, area.words) for key, area in self.areas.items()]

    def problems(self, team_ses: Sequence[str]) -> Iterator[tuple[str, str]]:
        """(field, problem) for SEs in no team, unknown areas, and areas nobody covers."""
        for se_id, coverage in self.ses.items():
            if se_id not in team_ses:
                yield (
                    f"routing.ses.{se_id}",
                    f"{se_id} is an SE in no team; add them to a team's ses or remove this entry",
                )
            for key in coverage.areas:
                if key not in self.areas:
                    known = ", ".join(self.areas) or "none yet"
                    yield (
                        f"routing.ses.{se_id}.areas",
                        f"{key!r} is not a product area under routing.areas (known: {known})",
                    )
        covered = {key for coverage in self.ses.values() for key in coverage.areas}
        for key in self.areas:
            if key not in covered:
                yield (
                    f"routing.areas.{key}",
                    f"no SE covers {key!r}; list it under some SE's areas in routing.ses "
                    "or remove the area",
                )
