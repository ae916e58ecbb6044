"""The hand-written parser gets every row of the shared table right (see when_table.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.coaching import when
from tests.coaching.when_table import NOW, TABLE, TZ


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 60
    assert len({text for text, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[text for text, _ in TABLE])
def test_reads_the_table(text: str, expected: datetime | None) -> None:
    if expected is None:
        with pytest.raises(when.WhenProblem):
            when.read(text, now=NOW, tz=TZ)
    else:
        assert when.read(text, now=NOW, tz=TZ) == expected
