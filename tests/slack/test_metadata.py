"""Modal metadata: typed on our side, the same JSON strings on Slack's."""

from __future__ import annotations

import json

from bot.slack.metadata import Debrief, HandoffReply, QualifyChecklist, QualifyNewDeal


def test_round_trip_keeps_types_and_none() -> None:
    meta = QualifyChecklist(deal_id=4, framework="meddpicc", response_url=None, index=2)
    assert json.loads(meta.to_json()) == {
        "deal_id": "4",
        "framework": "meddpicc",
        "response_url": "",
        "index": "2",
    }
    assert QualifyChecklist.from_json(meta.to_json()) == meta


def test_metadata_written_before_the_dataclasses_still_reads() -> None:
    view = {"private_metadata": json.dumps({"handoff_id": "12", "unknown": "x"})}
    assert HandoffReply.of(view) == HandoffReply(handoff_id=12)
    old = '{"name": "Acme", "mode": "walk", "framework": "", "response_url": ""}'
    assert QualifyNewDeal.from_json(old) == QualifyNewDeal(name="Acme", mode="walk")


def test_garbage_gives_the_defaults() -> None:
    assert Debrief.from_json("not json") == Debrief()
    assert Debrief.from_json('["a list"]') == Debrief()
    assert Debrief.from_json('{"call_id": "abc"}').call_id is None
