"""The weekly chart: a real PNG, carrying the series it was given."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime, timedelta

from matplotlib.container import BarContainer

from bot.reports import chart
from bot.reports.figures import WeekPoint

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TREND = [
    WeekPoint(MONDAY + timedelta(weeks=n), opened, in_sla, median)
    for n, (opened, in_sla, median) in enumerate(
        [(3, 2, 3.5), (5, 5, 1.0), (0, 0, None), (4, 1, 9)]
    )
]


def png_chunks(data: bytes) -> dict[bytes, list[bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, list[bytes]] = {}
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.setdefault(kind, []).append(body)
        offset += 12 + length
    return chunks


def test_the_png_is_valid_and_says_what_it_shows() -> None:
    made = chart.render(TREND, team="Enterprise West", sla_hours=4)
    chunks = png_chunks(made.png)
    width, height = struct.unpack(">II", chunks[b"IHDR"][0][:8])
    assert (width, height) == (800, 500)
    assert list(chunks)[-1] == b"IEND"
    texts = b"".join(chunks.get(b"tEXt", []) + chunks.get(b"iTXt", []))
    assert b"handoffs opened per week 3, 5, 0, 4" in texts
    assert made.file_name == "dealcoach-enterprise-west-2026-11-23.png"
    assert "accepted within the 4-hour SLA 2, 5, 0, 1" in made.alt_text
    assert "median time to accept 9.0 business hours" in made.alt_text


def test_the_figure_carries_the_expected_series() -> None:
    counts, hours = chart.figure(TREND, team="T", sla_hours=4).axes
    bars = {
        c.get_label(): [b.get_height() for b in c]
        for c in counts.containers
        if isinstance(c, BarContainer)
    }
    assert bars == {chart.OPENED: [3, 5, 0, 4], chart.IN_SLA: [2, 5, 0, 1]}
    lines = {line.get_label(): list(line.get_ydata()) for line in hours.get_lines()}
    median = lines[chart.MEDIAN]
    assert median[:2] == [3.5, 1.0] and median[3] == 9 and median[2] != median[2]  # NaN gap
    assert list(lines[chart.SLA]) == [4, 4]
    assert [t.get_text() for t in hours.get_xticklabels()] == [
        "02 Nov",
        "09 Nov",
        "16 Nov",
        "23 Nov",
    ]
