"""What a nudge is about, and so what a snooze silences: written "handoff:12" on a button
and in the database, a typed value everywhere in between."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SubjectKind(StrEnum):
    HANDOFF = "handoff"
    DEAL = "deal"
    CALL = "call"
    #: A row that points at none of the above (kept so it can still be snoozed).
    DUE_WORK = "due_work"


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: int

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @property
    def label(self) -> str:
        """How people read it: "handoff #12"."""
        return f"{self.kind.value} #{self.id}"

    @classmethod
    def parse(cls, text: str) -> Subject | None:
        """``"handoff:12"`` → ``Subject(HANDOFF, 12)``; ``None`` for anything else."""
        name, _, raw_id = text.partition(":")
        if name not in SubjectKind.__members__.values() or not raw_id.isdigit():
            return None
        return cls(SubjectKind(name), int(raw_id))
