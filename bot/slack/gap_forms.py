"""`/coach gap <deal>: <what is missing>` as typed, turned into a deal name and a draft.

Optional extras: the area in brackets before the description and the weight in
parentheses after it, e.g. ``/coach gap Acme Corp: [API] bulk export (deal-breaker)``.
Without them the area is "Other" and the weight "challenge".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.db.models import GapWeight
from bot.services.gaps import OTHER_AREA, GapDraft
from bot.slack.forms import text_value
from bot.slack.ids import Field

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


def _selected(values: dict[str, Any], field: Field) -> str | None:
    option = values.get(field.value, {}).get(field.value, {}).get("selected_option") or {}
    value = option.get("value")
    return value if isinstance(value, str) and value else None


def read_gap_fields(view: dict[str, Any]) -> tuple[GapDraft | None, dict[str, str]]:
    """The resolve/decline form's gap fields → a draft (``None`` when left empty) and
    {block_id: error} for fields that say something but not enough."""
    values: dict[str, Any] = view.get("state", {}).get("values", {})
    description = (text_value(values, Field.GAP_DESCRIPTION) or "").strip()
    area = _selected(values, Field.GAP_AREA)
    other = (text_value(values, Field.GAP_AREA_OTHER) or "").strip() or None
    weight = _selected(values, Field.GAP_WEIGHT) or GapWeight.CHALLENGE.value
    if not description:
        if area or other:
            return None, {
                Field.GAP_DESCRIPTION.value: "Say in one line what is missing, "
                "or clear the area to log no product gap."
            }
        return None, {}
    if other and area not in (None, OTHER_AREA):
        return None, {Field.GAP_AREA_OTHER.value: f"You picked {area}; clear this or pick Other."}
    draft = GapDraft(
        description=description,
        feature_area=area or OTHER_AREA,
        weight=weight,
        area_detail=other,
    )
    return draft, {}
