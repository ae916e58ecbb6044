"""Who fits a handoff: pure ranking of the SEs a rep's team offers, and why.

The first configured rule that offers anyone decides who is considered (e.g. SEs who
cover SSO *and* EMEA; failing that, SSO; failing that, the whole team). Among them, those
away or at their cap are left out; the rest go by fewest open handoffs, then by who was
assigned least recently (never assigned first). When nobody is left, nobody is chosen
and the ranked list is what a manager picks from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.config.routing import RoutingRule


@dataclass(frozen=True)
class Away:
    """Why an SE is not taking work now."""

    reason: str | None = None
    #: The last day away, in the SE's own time zone; ``None`` when open-ended (a Slack status).
    until: date | None = None
    #: Read from their Slack status rather than set with ``/coach away``.
    from_slack_status: bool = False


@dataclass(frozen=True)
class Candidate:
    """One SE of the rep's team, as routing sees them."""

    slack_user_id: str
    #: Product area keys they cover.
    areas: frozenset[str] = frozenset()
    #: Territories or segments they cover, as configured (compared ignoring case).
    territories: frozenset[str] = frozenset()
    open_handoffs: int = 0
    max_open: int = 8
    away: Away | None = None
    last_assigned_at: datetime | None = None

    @property
    def at_cap(self) -> bool:
        return self.open_handoffs >= self.max_open

    def covers_territory(self, territory: str | None) -> bool:
        if not territory:
            return False
        wanted = territory.strip().casefold()
        return any(t.casefold() == wanted for t in self.territories)


@dataclass(frozen=True)
class Ranked:
    """A candidate in the order a manager should consider them, with the reason."""

    candidate: Candidate
    #: The first rule (in configured order) that offers them; ``None``: no rule does.
    rule: RoutingRule | None
    #: Why they are left out ("away until Fri 4 Dec", "at their cap of 6"); ``None``: free.
    unavailable: str | None
    #: "covers SSO and EMEA; 2 open handoffs".
    explanation: str

    @property
    def available(self) -> bool:
        return self.unavailable is None


@dataclass(frozen=True)
class Routed:
    """The outcome: who gets it (``None`` when nobody fits) and everyone, ranked."""

    chosen: Ranked | None
    #: The rule that decided who was considered; ``None`` when no rule offered anyone.
    rule: RoutingRule | None
    ranked: tuple[Ranked, ...]

    @property
    def explanation(self) -> str | None:
        return self.chosen.explanation if self.chosen else None


@dataclass(frozen=True)
class Need:
    """What the handoff asks for: its product area (key and name) and the deal's territory."""

    area: str | None = None
    area_name: str | None = None
    territory: str | None = None
    #: The rep's team, named when an SE is offered only for being on it.
    team: str | None = None


def matches(rule: RoutingRule, candidate: Candidate, need: Need) -> bool:
    in_area = need.area is not None and need.area in candidate.areas
    in_territory = candidate.covers_territory(need.territory)
    if rule is RoutingRule.AREA_AND_TERRITORY:
        return in_area and in_territory
    if rule is RoutingRule.AREA:
        return in_area
    if rule is RoutingRule.TERRITORY:
        return in_territory
    return True


def route(candidates: Sequence[Candidate], need: Need, rules: Sequence[RoutingRule]) -> Routed:
    """Choose among ``candidates`` for ``need`` by ``rules``; see the module docstring."""
    first_rule = {
        c.slack_user_id: next((rule for rule in rules if matches(rule, c, need)), None)
        for c in candidates
    }
    # The earliest rule that offers anyone; those it offers have it as their first rule.
    deciding = next((rule for rule in rules if rule in first_rule.values()), None)
    order = {rule: index for index, rule in enumerate(rules)}
    ranked = sorted(
        (_ranked(c, first_rule[c.slack_user_id], need) for c in candidates),
        key=lambda r: (
            order[r.rule] if r.rule is not None else len(order),
            not r.available,
            r.candidate.open_handoffs,
            _recency(r.candidate.last_assigned_at),
        ),
    )
    chosen = next(
        (r for r in ranked if deciding is not None and r.rule is deciding and r.available), None
    )
    return Routed(chosen=chosen, rule=deciding, ranked=tuple(ranked))


def _ranked(candidate: Candidate, rule: RoutingRule | None, need: Need) -> Ranked:
    return Ranked(
        candidate=candidate,
        rule=rule,
        unavailable=unavailable(candidate),
        explanation=explain(candidate, need),
    )


def unavailable(candidate: Candidate) -> str | None:
    """Why routing leaves this SE out now, in a few words; ``None`` when they are free."""
    if candidate.away is not None:
        away = candidate.away
        if away.until is not None:
            text = f"away until {away.until:%a} {away.until.day} {away.until:%b}"
        elif away.from_slack_status:
            text = "out of office (Slack status)"
        else:
            text = "away"
        return f"{text}: {away.reason}" if away.reason else text
    if candidate.at_cap:
        return f"at their cap of {candidate.max_open} open handoffs"
    return None


def load(open_handoffs: int) -> str:
    if open_handoffs == 0:
        return "no open handoffs"
    return f"{open_handoffs} open handoff{'s' if open_handoffs != 1 else ''}"


def explain(candidate: Candidate, need: Need) -> str:
    """Why this SE, in one line: "covers SSO and EMEA; 2 open handoffs"."""
    covered = []
    if need.area is not None and need.area in candidate.areas:
        covered.append(need.area_name or need.area)
    if need.territory and candidate.covers_territory(need.territory):
        covered.append(need.territory.strip())
    if covered:
        what = f"covers {' and '.join(covered)}"
    else:
        what = f"next in {need.team}'s rotation" if need.team else "next in the team's rotation"
    return f"{what}; {load(candidate.open_handoffs)}"


def infer_area(text: str, areas: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The product area whose words appear most often in ``text`` (config order breaks ties).

    Words match whole, ignoring case, so "API" matches "the API times out" but not
    "capital"; a phrase such as "single sign-on" matches as written.
    """
    best: tuple[int, str] | None = None
    folded = text.casefold()
    for key, words in areas:
        hits = sum(len(_word_pattern(word).findall(folded)) for word in words)
        if hits and (best is None or hits > best[0]):
            best = (hits, key)
    return best[1] if best else None


def area_names(areas: Mapping[str, str], keys: frozenset[str]) -> list[str]:
    """Display names of ``keys`` in config order (``areas`` is key → name)."""
    return [name for key, name in areas.items() if key in keys]


def _recency(last_assigned_at: datetime | None) -> tuple[bool, float]:
    """Never assigned first, then the longest ago."""
    if last_assigned_at is None:
        return (False, 0.0)
    return (True, last_assigned_at.timestamp())


@functools.lru_cache(maxsize=1024)  # the configured areas' words, read for every handoff
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word.casefold())}(?!\w)")
