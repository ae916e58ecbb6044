"""Time zones people write after a time: "10am CET", "3pm PT", "9:00 Europe/London".

An abbreviation names the region's zone, not a fixed offset: "PT", "PST" and "PDT" all
mean the wall clock in Los Angeles on that day, which is what people mean when they write
"PST" in July. Names that mean different places (IST, CST in China) take the common
business reading, listed here.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones

ABBREVIATIONS = {
    "utc": "UTC",
    "gmt": "UTC",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "bst": "Europe/London",
    "wet": "Europe/Lisbon",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "eet": "Europe/Athens",
    "eest": "Europe/Athens",
    "ist": "Asia/Kolkata",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
}


@cache
def _iana_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def zone_named(word: str) -> ZoneInfo | None:
    """The zone ``word`` names ("cet", "PT", "europe/london"), or ``None``."""
    folded = word.casefold()
    if folded in ABBREVIATIONS:
        return ZoneInfo(ABBREVIATIONS[folded])
    if "/" in folded and (name := _iana_by_folded_name().get(folded)):
        return ZoneInfo(name)
    return None
