"""How deal names compare, the way people type them: pure rules, no database.

Three keys, from strict to loose:

* the *exact* key (:func:`exact_key`): case and runs of spaces do not matter;
* the *normalized* key (:func:`normalized_key`): nor do accents, punctuation, spaces
  between words, or a legal suffix at the end ("Acme Corp." is "Acme", "Müller GmbH" is
  "Muller");
* *close* names (:func:`closeness`): a typo or two away ("Acme Crop" → "Acme Corp"), or
  the typed words begin the deal's words ("Acme" → "Acme Logistics").

Close names use an edit distance that counts a swap of two letters as one edit (optimal
string alignment, from ``rapidfuzz``): "Crop"/"Corp" is one slip of the fingers, while
"East"/"West" is two edits and so two different deals stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import OSA

#: Legal forms that say nothing about which customer it is.
LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "gmbh",
        "mbh",
        "kg",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "oy",
        "asa",
        "pty",
        "pte",
        "kk",
        "se",
        "ug",
        "and",
    }
)
_JOINED = re.compile(r"[.'’`]")
_SEPARATORS = re.compile(r"[^\w]+|_")


def exact_key(name: str) -> str:
    """The stored key: case and runs of spaces do not matter."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def words(name: str, *, keep_suffix: bool = False) -> list[str]:
    """The name's words without accents, punctuation or (unless kept) a trailing legal form."""
    return list(_words(name, keep_suffix))


@lru_cache(maxsize=65_536)
def _words(name: str, keep_suffix: bool) -> tuple[str, ...]:
    """Cached: the typeahead compares every deal's name on each keystroke."""
    folded = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    plain = "".join(character for character in folded if not unicodedata.combining(character))
    plain = plain.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d")
    tokens = [token for token in _SEPARATORS.split(_JOINED.sub("", plain)) if token]
    while not keep_suffix and len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    return tuple(tokens)


def normalized_key(name: str) -> str:
    """Two names with the same normalized key are the same deal written two ways."""
    return "".join(words(name))


def allowed_edits(key: str) -> int:
    """Typos forgiven in a name of this length: none in very short names."""
    if len(key) <= 3:
        return 0
    if len(key) <= 8:
        return 1
    if len(key) <= 16:
        return 2
    return 3


def closeness(typed: str, deal_name: str) -> int | None:
    """How far ``deal_name`` is from what was typed (lower is closer), or ``None`` if the
    two are not close enough to ask "did you mean"."""
    typed_words, deal_words = words(typed), words(deal_name)
    typed_key, deal_key = "".join(typed_words), "".join(deal_words)
    if not typed_key or not deal_key:
        return None
    distance = min(
        OSA.distance(typed_key, deal_key),
        OSA.distance(
            "".join(words(typed, keep_suffix=True)), "".join(words(deal_name, keep_suffix=True))
        ),
    )
    if distance <= allowed_edits(min(typed_key, deal_key, key=len)):
        return distance
    if len(typed_words) <= len(deal_words) and _begins(typed_words, deal_words):
        # "Acme" for "Acme Logistics": ranked after every typo match.
        return 10 + len(deal_key) - len(typed_key)
    return None


def _begins(typed_words: list[str], deal_words: list[str]) -> bool:
    """The typed words start the deal's words, the last one perhaps cut short."""
    *whole, last = typed_words
    if deal_words[: len(whole)] != whole:
        return False
    following = deal_words[len(whole)]
    return following == last or (len(last) >= 3 and following.startswith(last))
