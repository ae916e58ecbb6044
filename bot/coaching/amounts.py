"""Reading an amount of money the way people write it: "$40,000", "40k", "1.2M", "€40.000".

One parser for every amount field, so a deal's value means the same wherever it was typed.
Amounts are whole units of the team's currency (``currency`` in ``dealcoach.yaml``); cents
are rounded away. A symbol or code for another currency is refused rather than converted.

Which mark is the decimal point: when both "," and "." appear, the last one is. When only
one kind appears, a mark followed by exactly three digits groups thousands ("40,000",
"40.000"), and a single mark followed by one or two digits is a decimal point ("1.5", "1,5").
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: Nothing a deal is worth comes near this; it is a typo (and near PostgreSQL's BIGINT).
AMOUNT_MAX = 10**12

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "chf": "CHF"}
_CODES = {"usd", "eur", "gbp", "jpy", "inr", "chf", "cad", "aud", "sek", "nok", "dkk"}
_SYMBOL_OF = {code: symbol for symbol, code in _SYMBOLS.items() if len(symbol) == 1}
_SCALES = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mm": 10**6,
    "mn": 10**6,
    "mio": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
}
_SHAPE = re.compile(
    r"^(?P<sign>[-−])?\s*(?P<before>[$€£¥₹]|[a-z]{3}\b)?\s*(?P<sign2>[-−])?\s*"
    r"(?P<number>\d[\d.,' ]*\d|\d)\s*(?P<scale>[a-z]+)?\s*(?P<after>[$€£¥₹]|[a-z]{3})?$"
)


class AmountProblem(ValueError):
    """Not a usable amount; the message says why and shows how to write one."""


def example(currency: str = "USD") -> str:
    symbol = _SYMBOL_OF.get(currency.upper(), "")
    return f"`{symbol}40,000`, `40k` or `1.2M`" if symbol else "`40000`, `40k` or `1.2M`"


def parse_amount(text: str, *, currency: str = "USD") -> int:
    """Whole units of ``currency`` that ``text`` names, or :class:`AmountProblem`.

    >>> parse_amount("$40,000"), parse_amount("40k"), parse_amount("1.2M")
    (40000, 40000, 1200000)
    >>> parse_amount("€40.000", currency="EUR")
    40000
    """
    currency = currency.upper()
    how = f"Write an amount in {currency}, e.g. {example(currency)}."
    cleaned = text.strip().casefold().replace("\u00a0", " ")
    if cleaned.startswith("(") and cleaned.endswith(")"):
        raise AmountProblem(f"An amount can't be negative. {how}")
    match = _SHAPE.match(cleaned)
    if match is None:
        raise AmountProblem(f"I couldn't read “{text.strip()}” as an amount. {how}")
    if match["sign"] or match["sign2"]:
        raise AmountProblem(f"An amount can't be negative. {how}")
    scale_word, after = match["scale"], match["after"]
    if scale_word in _CODES and after is None:  # "40 usd": the code, not a scale
        scale_word, after = None, scale_word
    for mark in (match["before"], after):
        if mark is None:
            continue
        written = _SYMBOLS.get(mark, mark.upper())
        if mark not in _SYMBOLS and mark not in _CODES:
            raise AmountProblem(f"I couldn't read “{text.strip()}” as an amount. {how}")
        if written != currency:
            raise AmountProblem(
                f"Amounts here are in {currency}, and “{text.strip()}” is in {written}. {how}"
            )
    scale = 1
    if scale_word:
        if scale_word not in _SCALES:
            raise AmountProblem(f"I couldn't read “{text.strip()}” as an amount. {how}")
        scale = _SCALES[scale_word]
    number = _number(match["number"])
    if number is None:
        raise AmountProblem(f"I couldn't read “{text.strip()}” as an amount. {how}")
    amount = int((number * scale).to_integral_value(rounding=ROUND_HALF_UP))
    if amount > AMOUNT_MAX:
        raise AmountProblem(
            f"{text.strip()} is more than any deal is worth; check the zeros. {how}"
        )
    return amount


def _number(digits: str) -> Decimal | None:
    digits = digits.replace(" ", "").replace("'", "")
    marks = [character for character in digits if character in ".,"]
    if not marks:
        return Decimal(digits)
    if len(set(marks)) == 2:
        decimal_mark = digits[max(digits.rfind("."), digits.rfind(","))]
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = digits.partition(decimal_mark)
        if grouping not in whole or not _grouped(whole.split(grouping)) or decimal_mark in fraction:
            return None
        return _decimal(whole.replace(grouping, "") + "." + fraction)
    mark = marks[0]
    parts = digits.split(mark)
    if len(parts) == 2 and len(parts[1]) in (1, 2):
        return _decimal(parts[0] + "." + parts[1])
    if _grouped(parts):
        return _decimal("".join(parts))
    return None


def _grouped(parts: list[str]) -> bool:
    """Digits grouped in thousands: "40" "000" or "1" "200" "000"."""
    return 1 <= len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
