"""Where a deal stands on its checklist: built by services, drawn by ``blocks``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching import qualification as rules
from bot.coaching.qualification import ItemStatus
from bot.config import Checklist
from bot.db.models import Deal


@dataclass(frozen=True)
class Standing:
    """Where a deal stands on its checklist."""

    deal: Deal
    checklist: Checklist
    items: tuple[ItemStatus, ...]

    @property
    def gaps(self) -> list[ItemStatus]:
        return rules.gaps(self.items)

    @property
    def answered(self) -> bool:
        """Whether anyone has answered anything yet."""
        return any(status.latest is not None for status in self.items)
