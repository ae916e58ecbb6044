"""`/coach gap <deal>: <what is missing>` as typed, turned into a deal name and a draft.

Optional extras: the area in brackets before the description and the weight in
parentheses after it, e.g. ``/coach gap Acme Corp: [API] bulk export (deal-breaker)``.
Without them the area is "Other" and the weight "challenge".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.db.models import GapWeight
from bot.services.gaps import OTHER_AREA, GapDraft

USAGE = (
    "Write `/coach gap <deal>: <what is missing>`, e.g. "
    "`/coach gap Acme Corp: [Security & compliance] SSO with Okta (deal-breaker)`."
)
_AREA = re.compile(r"^\[(?P<area>[^\]]*)\]\s*")
_WEIGHT = re.compile(r"\s*\((?P<weight>[^)]*)\)\s*$")
WEIGHT_WORDS = {
    "deal-breaker": GapWeight.DEAL_BREAKER,
    "deal breaker": GapWeight.DEAL_BREAKER,
    "dealbreaker": GapWeight.DEAL_BREAKER,
    "challenge": GapWeight.CHALLENGE,
    "nice to have": GapWeight.NICE_TO_HAVE,
    "nice-to-have": GapWeight.NICE_TO_HAVE,
}


@dataclass(frozen=True)
class GapCommand:
    #: ``None`` when the text named no deal (the service then says how to write it).
    deal_name: str | None
    draft: GapDraft
    errors: dict[str, str]


def parse(text: str) -> GapCommand:
    deal, colon, rest = text.partition(":")
    if not colon:
        return GapCommand(None, GapDraft(description=""), {"deal": USAGE})
    errors: dict[str, str] = {}
    description = rest.strip()
    area = OTHER_AREA
    found = _AREA.match(description)
    if found:
        area = found["area"].strip() or OTHER_AREA
        description = description[found.end() :]
    weight = GapWeight.CHALLENGE
    found = _WEIGHT.search(description)
    if found:
        word = " ".join(found["weight"].lower().split())
        if word in WEIGHT_WORDS:
            weight = WEIGHT_WORDS[word]
            description = description[: found.start()]
        else:
            errors["weight"] = (
                f"{found['weight']!r} is not a weight: write (deal-breaker), (challenge) or "
                "(nice to have) at the end."
            )
    draft = GapDraft(description=description.strip(), feature_area=area, weight=weight.value)
    return GapCommand(deal.strip() or None, draft, errors)
