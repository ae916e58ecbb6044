"""Pure rules of product gaps: similarity and revenue at stake."""

from __future__ import annotations

import pytest

from bot.coaching.gaps import GapRow, revenue_at_stake, similarity

WEIGHTS = {"deal_breaker": 1.0, "challenge": 0.6, "nice_to_have": 0.2}


def test_similarity_ignores_filler_and_order() -> None:
    assert similarity("Support for SSO with Okta", "okta sso") == 1.0
    assert similarity("SSO with Okta", "Export to Excel") < 0.5


def test_each_deal_counts_once_at_its_heaviest_weight() -> None:
    rows = [
        GapRow(1, 10, "nice_to_have", 1000),
        GapRow(1, 10, "deal_breaker", 1000),
        GapRow(1, 11, "challenge", 500),
        GapRow(1, 12, "challenge", None),
        GapRow(2, 10, "challenge", 1000),
    ]
    first, second = revenue_at_stake(rows, WEIGHTS)
    assert first.group_id == 1
    assert first.revenue == pytest.approx(1000 + 300)
    assert (first.deals, first.deals_without_value) == (3, 1)
    assert second.revenue == pytest.approx(600)
