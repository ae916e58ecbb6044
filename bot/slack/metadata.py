"""Each modal's ``private_metadata``: a small frozen dataclass, written as a JSON object.

Values travel as strings (``None`` as ``""``), the format the modals have always used, so
a form opened before an upgrade still reads after it. ``from_json`` turns them back into
the field's type and ignores keys it does not know.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Self, get_type_hints


class Metadata:
    def to_json(self) -> str:
        fields = dataclasses.asdict(self)  # type: ignore[call-overload]
        return json.dumps({name: "" if v is None else str(v) for name, v in fields.items()})

    @classmethod
    def from_json(cls, raw: str | None) -> Self:
        try:
            loaded = json.loads(raw or "{}")
        except json.JSONDecodeError:
            loaded = {}
        data: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
        hints = get_type_hints(cls)
        values = {}
        for field in dataclasses.fields(cls):  # type: ignore[arg-type]
            text = str(data.get(field.name) or "")
            values[field.name] = _typed(hints[field.name], text)
        return cls(**values)

    @classmethod
    def of(cls, view: dict[str, Any]) -> Self:
        """The metadata of a submitted view."""
        return cls.from_json(view.get("private_metadata"))


def _typed(hint: Any, text: str) -> Any:
    optional = type(None) in getattr(hint, "__args__", ())
    if optional and not text:
        return None
    if hint is int or (optional and int in hint.__args__):
        return int(text) if text.lstrip("-").isdigit() else (None if optional else 0)
    return text


@dataclass(frozen=True)
class NewHandoff(Metadata):
    channel_id: str = ""
    response_url: str | None = None


@dataclass(frozen=True)
class HandoffReply(Metadata):
    """Decline, ask, answer and reassign: which handoff the form is about."""

    handoff_id: int = 0


@dataclass(frozen=True)
class SnoozeUntil(Metadata):
    subject: str = ""
    response_url: str | None = None


@dataclass(frozen=True)
class Settings(Metadata):
    response_url: str | None = None


@dataclass(frozen=True)
class Debrief(Metadata):
    call_id: int | None = None
    response_url: str | None = None


@dataclass(frozen=True)
class Correction(Metadata):
    paraphrase_id: int = 0


@dataclass(frozen=True)
class QualifyChecklist(Metadata):
    """The checklist walk (``index``: the item on screen) and the whole-list form."""

    deal_id: int = 0
    framework: str = ""
    response_url: str | None = None
    index: int = 0


@dataclass(frozen=True)
class QualifyNewDeal(Metadata):
    name: str = ""
    mode: str = ""
    framework: str | None = None
    response_url: str | None = None


@dataclass(frozen=True)
class QualifyDealDetails(Metadata):
    deal_id: int = 0
    response_url: str | None = None


@dataclass(frozen=True)
class RoutePick(Metadata):
    """ "Pick someone else" for a handoff waiting for a manager: which request it routes."""

    unrouted_id: int = 0
