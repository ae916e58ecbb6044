"""What managers see: product gaps (areas, weights) and the weekly report."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import Field, field_validator

from bot.config.base import _Strict
from bot.config.checklists import OneLine
from bot.domain.enums import Weekday

GapWeightName = Literal["deal_breaker", "challenge", "nice_to_have"]

DEFAULT_FEATURE_AREAS = [
    "Integrations",
    "Security & compliance",
    "Reporting & analytics",
    "Admin & permissions",
    "Performance & scale",
    "API",
    "Mobile",
]


class GapWeights(_Strict):
    """How much of a deal's value rides on a gap of each weight (1.0 is all of it)."""

    deal_breaker: float = Field(default=1.0, gt=0, le=1)
    challenge: float = Field(default=0.6, gt=0, le=1)
    nice_to_have: float = Field(default=0.2, gt=0, le=1)

    def of(self, weight: str) -> float:
        return float(getattr(self, weight))


class ProductGaps(_Strict):
    """Features deals need and the product lacks, and the revenue riding on them."""

    #: The areas an SE picks from; "Other" with free text is always offered as well.
    feature_areas: list[Annotated[OneLine, Field(max_length=60)]] = Field(
        default=DEFAULT_FEATURE_AREAS, min_length=1, max_length=50
    )
    weights: GapWeights = GapWeights()
    #: How alike two descriptions in one area must be (0-1) to be offered for linking.
    link_similarity: float = Field(default=0.5, gt=0, le=1)

    @field_validator("feature_areas")
    @classmethod
    def _distinct_areas(cls, areas: list[str]) -> list[str]:
        folded = [area.casefold() for area in areas]
        repeated = sorted({a for a in areas if folded.count(a.casefold()) > 1})
        if repeated:
            raise ValueError(f"feature areas must differ; repeated: {', '.join(repeated)}")
        if "other" in folded:
            raise ValueError('"Other" is always offered (with free text); leave it out')
        return areas

    def area(self, typed: str) -> str | None:
        """The configured area ``typed`` names (any case), or ``None``."""
        folded = typed.strip().casefold()
        return next((a for a in self.feature_areas if a.casefold() == folded), None)


class Reports(_Strict):
    """The weekly digest to managers: on by default, Monday 09:00 in each manager's zone."""

    weekly_digest: bool = True
    digest_day: Weekday = Weekday.MON
    digest_time: time = time(9, 0)
    #: Longest period `/coach report` covers, in weeks.
    max_weeks: int = Field(default=26, ge=1, le=104)
