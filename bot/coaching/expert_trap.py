"""The "expert trap": is fixing this problem personally worth the rep's selling time?

A rep who brings in $3,000,000 of new revenue a year over 240 selling days earns
$12,500 a day, $1,562.50 an hour. A day spent configuring a serial driver to win a
$1,500 order gives up $12,500 of selling to gain $1,500: an ROI of 0.12x. Below the
team's threshold (3x by default) the rep should hand the problem off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.config import RevenueProfile


@dataclass(frozen=True)
class ExpertTrap:
    #: Hours the rep would spend doing it personally.
    hours: float
    #: New revenue per selling hour: per year / selling days / hours per day.
    hourly_value: float
    #: ``hours * hourly_value``: the selling revenue given up.
    opportunity_cost: float
    #: What solving it personally returns (the value at stake), if known.
    deal_value: int | None
    #: ``deal_value / opportunity_cost``; ``None`` when the deal value is unknown.
    roi: float | None
    #: The return on the rep's time below which the rep should hand off.
    threshold: float

    @property
    def worth_doing_yourself(self) -> bool:
        return self.roi is not None and self.roi >= self.threshold


def assess(
    *, hours: float, deal_value: int | None, profile: RevenueProfile, threshold: float
) -> ExpertTrap:
    """Weigh ``hours`` of the rep's time against ``deal_value`` for this rep's profile."""
    if not math.isfinite(hours) or hours <= 0:
        raise ValueError(f"hours must be a positive number, got {hours!r}")
    if deal_value is not None and deal_value < 0:
        raise ValueError(f"deal_value must be zero or more, got {deal_value!r}")
    if not math.isfinite(threshold) or threshold <= 0:
        raise ValueError(f"threshold must be a positive number, got {threshold!r}")
    hourly_value = (
        profile.new_revenue_per_year / profile.selling_days_per_year / profile.hours_per_day
    )
    opportunity_cost = hours * hourly_value
    roi = None if deal_value is None else deal_value / opportunity_cost
    return ExpertTrap(
        hours=hours,
        hourly_value=hourly_value,
        opportunity_cost=opportunity_cost,
        deal_value=deal_value,
        roi=roi,
        threshold=threshold,
    )


def _round_half_up(value: float, places: int) -> Decimal:
    # Decimal(str(...)) so that 1562.5 and 0.25 round the way people expect.
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_money(amount: float) -> str:
    """``12500`` → ``"$12,500"``, ``1562.5`` → ``"$1,563"``: whole units, halves up."""
    if not math.isfinite(amount):
        raise ValueError(f"cannot format {amount!r} as money")
    rounded = _round_half_up(abs(amount), 0)
    sign = "-" if amount < 0 and rounded else ""
    return f"{sign}${int(rounded):,}"


def format_ratio(roi: float) -> str:
    """``0.12`` → ``"0.1x"``, ``3`` → ``"3.0x"``, ``12.4`` → ``"12x"``."""
    if not math.isfinite(roi):
        raise ValueError(f"cannot format {roi!r} as a ratio")
    one_decimal = _round_half_up(roi, 1)
    if one_decimal == 0:
        one_decimal = abs(one_decimal)  # no "-0.0x"
    if abs(one_decimal) < 10:
        return f"{one_decimal}x"
    return f"{int(_round_half_up(roi, 0)):,}x"
