from __future__ import annotations

import math

import pytest

from bot.coaching.expert_trap import ExpertTrap, assess, format_money, format_ratio
from bot.config import Revenue, RevenueProfile

SEED = RevenueProfile()  # $3M new revenue a year, 240 selling days, 8 hours a day


def test_seed_example_a_day_on_a_1500_problem() -> None:
    trap = assess(hours=8, deal_value=1_500, profile=SEED, threshold=3)

    assert trap.hourly_value == pytest.approx(1_562.5)
    assert trap.opportunity_cost == pytest.approx(12_500)
    assert trap.roi == pytest.approx(0.12)
    assert trap.threshold == 3
    assert not trap.worth_doing_yourself
    assert format_money(trap.opportunity_cost) == "$12,500"
    assert format_money(trap.hourly_value) == "$1,563"
    assert trap.roi is not None
    assert format_ratio(trap.roi) == "0.1x"


@pytest.mark.parametrize(
    ("hours", "deal_value", "threshold", "roi", "worth_it"),
    [
        (8, 1_500, 3, 0.12, False),
        (8, 37_500, 3, 3.0, True),  # exactly at the bar counts
        (8, 37_499, 3, 37_499 / 12_500, False),
        (1, 50_000, 3, 50_000 / 1_562.5, True),
        (0.5, 0, 3, 0.0, False),
        (8, 25_000, 2, 2.0, True),  # a team with a lower bar
        (8, 25_000, 2.5, 2.0, False),
        (8, None, 3, None, False),  # unknown value: never "worth it"
    ],
)
def test_roi_against_threshold(
    hours: float, deal_value: int | None, threshold: float, roi: float | None, worth_it: bool
) -> None:
    trap = assess(hours=hours, deal_value=deal_value, profile=SEED, threshold=threshold)

    assert trap.opportunity_cost == pytest.approx(hours * 1_562.5)
    if roi is None:
        assert trap.roi is None
    else:
        assert trap.roi == pytest.approx(roi)
    assert trap.worth_doing_yourself is worth_it
    assert trap.deal_value == deal_value
    assert trap.hours == hours


@pytest.mark.parametrize(
    ("profile", "hourly", "day"),
    [
        (RevenueProfile(), 1_562.5, 12_500),
        (RevenueProfile(new_revenue_per_year=3_600_000), 1_875, 15_000),
        (RevenueProfile(new_revenue_per_year=1_200_000, selling_days_per_year=200), 750, 6_000),
        (RevenueProfile(new_revenue_per_year=960_000, hours_per_day=6), 666.666, 4_000),
        (
            RevenueProfile(
                new_revenue_per_year=5_000_000, selling_days_per_year=250, hours_per_day=10
            ),
            2_000,
            20_000,
        ),
    ],
)
def test_per_rep_profile_figures(profile: RevenueProfile, hourly: float, day: float) -> None:
    trap = assess(hours=profile.hours_per_day, deal_value=10_000, profile=profile, threshold=3)

    assert trap.hourly_value == pytest.approx(hourly, rel=1e-5)
    assert trap.opportunity_cost == pytest.approx(day)
    assert trap.roi == pytest.approx(10_000 / day)


def test_profile_looked_up_per_rep() -> None:
    revenue = Revenue(
        reps={"U0BIGREP": RevenueProfile(new_revenue_per_year=6_000_000)}, roi_threshold=3
    )

    big = assess(hours=8, deal_value=30_000, profile=revenue.for_rep("U0BIGREP"), threshold=3)
    usual = assess(hours=8, deal_value=30_000, profile=revenue.for_rep("U0OTHER"), threshold=3)

    assert big.opportunity_cost == pytest.approx(25_000)
    assert not big.worth_doing_yourself
    assert usual.opportunity_cost == pytest.approx(12_500)
    assert not usual.worth_doing_yourself  # 2.4x, still under 3x
    assert usual.roi == pytest.approx(2.4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours": 0, "deal_value": 1_500}, "hours"),
        ({"hours": -1, "deal_value": 1_500}, "hours"),
        ({"hours": math.nan, "deal_value": 1_500}, "hours"),
        ({"hours": math.inf, "deal_value": 1_500}, "hours"),
        ({"hours": 8, "deal_value": -1}, "deal_value"),
        ({"hours": 8, "deal_value": 1_500, "threshold": 0}, "threshold"),
        ({"hours": 8, "deal_value": 1_500, "threshold": -3}, "threshold"),
    ],
)
def test_invalid_inputs(kwargs: dict[str, float], message: str) -> None:
    arguments: dict[str, object] = {"profile": SEED, "threshold": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        assess(**arguments)  # type: ignore[arg-type]


def test_result_is_frozen() -> None:
    trap = assess(hours=8, deal_value=1_500, profile=SEED, threshold=3)
    assert isinstance(trap, ExpertTrap)
    with pytest.raises(AttributeError):
        trap.hours = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "$0"),
        (0.0, "$0"),
        (0.49, "$0"),
        (0.5, "$1"),
        (1, "$1"),
        (999.5, "$1,000"),
        (1_500, "$1,500"),
        (1_562.5, "$1,563"),
        (2.5, "$3"),  # halves round up, not to even
        (12_500, "$12,500"),
        (12_499.99, "$12,500"),
        (1_234_567.49, "$1,234,567"),
        (3_000_000, "$3,000,000"),
        (-1_500, "-$1,500"),
        (-0.4, "$0"),
    ],
)
def test_format_money(amount: float, text: str) -> None:
    assert format_money(amount) == text


@pytest.mark.parametrize(
    ("roi", "text"),
    [
        (0, "0.0x"),
        (0.04, "0.0x"),
        (0.05, "0.1x"),
        (0.12, "0.1x"),
        (0.25, "0.3x"),
        (1, "1.0x"),
        (2.4, "2.4x"),
        (3, "3.0x"),
        (9.94, "9.9x"),
        (9.95, "10x"),  # rounds up into whole numbers, never "10.0x"
        (10, "10x"),
        (12, "12x"),
        (12.4, "12x"),
        (12.5, "13x"),
        (250, "250x"),
        (1_234.4, "1,234x"),
    ],
)
def test_format_ratio(roi: float, text: str) -> None:
    assert format_ratio(roi) == text


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_format_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        format_money(bad)
    with pytest.raises(ValueError):
        format_ratio(bad)
