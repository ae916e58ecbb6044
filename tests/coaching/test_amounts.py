"""One amount parser for every amount field."""

from __future__ import annotations

import pytest

from bot.coaching.amounts import AMOUNT_MAX, AmountProblem, parse_amount


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("40000", "USD", 40_000),
        ("$40,000", "USD", 40_000),
        ("$ 40,000.00", "USD", 40_000),
        ("40k", "USD", 40_000),
        ("40K", "USD", 40_000),
        ("12.5k", "USD", 12_500),
        ("1.2M", "USD", 1_200_000),
        ("1.2 million", "USD", 1_200_000),
        ("2bn", "USD", 2_000_000_000),
        ("1,234,567.89", "USD", 1_234_568),
        ("40 USD", "USD", 40),
        ("usd 40k", "USD", 40_000),
        ("€40.000", "EUR", 40_000),
        ("40.000 €", "EUR", 40_000),
        ("40.000,50 €", "EUR", 40_001),
        ("1,5 Mio", "EUR", 1_500_000),
        ("40 000", "EUR", 40_000),
        ("£1,200", "GBP", 1_200),
        ("0", "USD", 0),
        ("1.5", "USD", 2),
        (f"{AMOUNT_MAX}", "USD", AMOUNT_MAX),
    ],
)
def test_reads_amounts_as_people_write_them(text: str, currency: str, expected: int) -> None:
    assert parse_amount(text, currency=currency) == expected


@pytest.mark.parametrize(
    ("text", "currency", "words"),
    [
        ("-5", "USD", "can't be negative"),
        ("$-40,000", "USD", "can't be negative"),
        ("(400)", "USD", "can't be negative"),
        ("2000000000000", "USD", "more than any deal is worth"),
        ("1.5bn bn", "USD", "couldn't read"),
        ("2000bn", "USD", "more than any deal is worth"),
        ("€40", "USD", "in EUR"),
        ("$40", "EUR", "in USD"),
        ("forty", "USD", "couldn't read"),
        ("1.2.3", "USD", "couldn't read"),
        ("40,00,000", "USD", "couldn't read"),
        ("12 apples", "USD", "couldn't read"),
        ("", "USD", "couldn't read"),
    ],
)
def test_refuses_with_an_example(text: str, currency: str, words: str) -> None:
    with pytest.raises(AmountProblem) as raised:
        parse_amount(text, currency=currency)
    assert words in str(raised.value)
    assert "40k" in str(raised.value)
