"""Config for product gaps and managers' reports: defaults, and mistakes named clearly."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import DealCoachConfig, ProductGaps, Reports, Team, Weekday, load_config

REPO_CONFIG = Path(__file__).resolve().parents[1] / "config"


def test_the_shipped_config_has_areas_weights_and_a_monday_digest() -> None:
    config = load_config(REPO_CONFIG)
    assert "Security & compliance" in config.product_gaps.feature_areas
    weights = config.product_gaps.weights
    assert (weights.deal_breaker, weights.challenge, weights.nice_to_have) == (1.0, 0.6, 0.2)
    assert (config.reports.digest_day, config.reports.digest_time) == (Weekday.MON, time(9))
    assert config.product_gaps.area("security & COMPLIANCE") == "Security & compliance"
    assert config.product_gaps.area("Quantum") is None


def test_repeated_areas_other_and_weights_above_one_are_refused() -> None:
    with pytest.raises(ValidationError, match="repeated: API, api"):
        ProductGaps(feature_areas=["API", "api"])
    with pytest.raises(ValidationError, match='"Other" is always offered'):
        ProductGaps(feature_areas=["API", "Other"])
    with pytest.raises(ValidationError):
        ProductGaps.model_validate({"weights": {"challenge": 1.5}})
    with pytest.raises(ValidationError):
        Reports(max_weeks=0)


def test_report_readers_are_se_and_sales_managers_each_once() -> None:
    config = DealCoachConfig(
        teams=[
            Team(name="West", ses=["U0SE00001"], se_managers=["U0MGR0001"]),
            Team(
                name="East",
                ses=["U0SE00002"],
                se_managers=["U0MGR0001"],
                sales_managers=["U0SALES01"],
            ),
        ]
    )
    assert config.report_readers() == ["U0MGR0001", "U0SALES01"]
    assert [t.name for t in config.report_teams("U0MGR0001")] == ["West", "East"]
    assert config.report_teams("U0SE00001") == []
