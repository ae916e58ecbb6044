"""Product gaps: how alike two needs are, and the revenue riding on a shared need.

A gap group's revenue at stake counts each deal once, at the heaviest weight any of
its gaps in the group carries: two SEs logging the same deal-breaker for one deal do
not double it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+")
#: Words that say nothing about which feature is missing.
_FILLER_WORDS = (
    "a an the for of to in on with and or no not support supports needs need needed "
    "missing lack lacks we they our their is are be can cannot"
)
_FILLER = frozenset(_WORD.findall(_FILLER_WORDS))


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.casefold()) if w not in _FILLER)


def similarity(first: str, second: str) -> float:
    """0 (nothing alike) to 1 (the same words): the better of word overlap and spelling."""
    a, b = _words(first), _words(second)
    overlap = len(a & b) / len(a | b) if a and b else 0.0
    spelling = difflib.SequenceMatcher(
        None, " ".join(sorted(a)), " ".join(sorted(b)), autojunk=False
    ).ratio()
    return max(overlap, spelling)


@dataclass(frozen=True)
class GapRow:
    """One logged gap, as far as revenue goes."""

    group_id: int
    deal_id: int
    weight: str
    deal_value: int | None


@dataclass(frozen=True)
class Stake:
    group_id: int
    deals: int
    #: Sum over the group's deals of deal value x weight.
    revenue: float
    #: Deals whose value is unknown: counted in ``deals``, not in ``revenue``.
    deals_without_value: int


def revenue_at_stake(rows: Iterable[GapRow], weights: Mapping[str, float]) -> list[Stake]:
    """Each group's stake, largest first (ties: more deals first, then the older group)."""
    heaviest: dict[int, dict[int, tuple[float, int | None]]] = {}
    for row in rows:
        per_deal = heaviest.setdefault(row.group_id, {})
        weight = weights[row.weight]
        known = per_deal.get(row.deal_id)
        value = row.deal_value if row.deal_value is not None else (known[1] if known else None)
        if known is None or weight > known[0]:
            per_deal[row.deal_id] = (weight, value)
        elif value is not None and known[1] is None:
            per_deal[row.deal_id] = (known[0], value)
    stakes = [
        Stake(
            group_id=group_id,
            deals=len(deals),
            revenue=sum(weight * (value or 0) for weight, value in deals.values()),
            deals_without_value=sum(1 for _, value in deals.values() if value is None),
        )
        for group_id, deals in heaviest.items()
    ]
    return sorted(stakes, key=lambda s: (-s.revenue, -s.deals, s.group_id))
