"""Pre-call tips (``config/tips.yaml``) and the coaching settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from bot.config.base import _Strict
from bot.config.files import ConfigProblem, read_yaml, validate_model
from bot.domain.enums import CallType, DealSignal, TipRole

TIPS_FILE = "tips.yaml"


#: Tips in one pre-call DM that apply to any deal; up to two more fit the deal's state.
GENERAL_TIPS_PER_CALL = 3


#: Words that sound impressive to sellers and mean little to buyers (teams can replace the list).
DEFAULT_JARGON = [
    "synergy",
    "leverage",
    "best-of-breed",
    "best in class",
    "paradigm",
    "holistic",
    "seamless",
    "cutting-edge",
    "next-gen",
    "big data",
    "game-changer",
    "end-to-end",
    "turnkey",
    "world-class",
    "value-add",
    "move the needle",
    "low-hanging fruit",
    "robust",
    "scalable",
    "digital transformation",
]


class Coaching(_Strict):
    """Pre-call tips and the post-call paraphrase check."""

    #: Minutes before a call that the rep and the SE get their tips.
    precall_lead_minutes: int = Field(default=30, ge=1, le=24 * 60)
    #: How long a call lasts when `/precall` does not say; the debrief request follows its end.
    call_minutes: int = Field(default=60, ge=5, le=8 * 60)
    #: Our product and feature names: in a paraphrase of the customer's problem they are
    #: solution talk.
    product_names: list[str] = []
    jargon: list[str] = DEFAULT_JARGON
    #: The team's own words for itself ("Team Falcon", "the pod"): in a paraphrase they are
    #: talk about us, not the customer.
    team_words: list[str] = []
    #: A paraphrase longer than this, read at ``words_per_minute``, is too long to say aloud.
    max_seconds_aloud: int = Field(default=30, ge=5, le=300)
    words_per_minute: int = Field(default=150, ge=60, le=300)

    @model_validator(mode="after")
    def _no_empty_words(self) -> Coaching:
        for name, words in (
            ("product_names", self.product_names),
            ("jargon", self.jargon),
            ("team_words", self.team_words),
        ):
            if any(not word.strip() for word in words):
                raise ValueError(f"{name} has an empty entry; remove it or write the word")
        return self


class Tip(_Strict):
    """One coaching tip: who it is for, which calls, and the idea behind it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,47}$")
    roles: list[TipRole] = Field(min_length=1)
    #: Empty: every kind of call.
    call_types: list[CallType] = []
    #: Sent only when all of these hold for the deal, and then before the general tips.
    when: list[DealSignal] = []
    text: str = Field(min_length=10, max_length=400)
    #: Why it works, shown under the tip.
    idea: str = Field(min_length=10, max_length=400)

    def fits(self, role: TipRole, call_type: CallType) -> bool:
        return role in self.roles and (not self.call_types or call_type in self.call_types)


class TipLibrary(_Strict):
    tips: list[Tip] = Field(min_length=1)

    @field_validator("tips")
    @classmethod
    def _enough_to_rotate(cls, tips: list[Tip]) -> list[Tip]:
        ids = [tip.id for tip in tips]
        repeated = sorted({tip_id for tip_id in ids if ids.count(tip_id) > 1})
        if repeated:
            raise ValueError(f"tip ids must be unique; repeated: {', '.join(repeated)}")
        need = 2 * GENERAL_TIPS_PER_CALL
        for role in ("rep", "se"):
            for call_type in CallType:
                count = sum(1 for t in tips if not t.when and t.fits(role, call_type))
                if count < need:
                    raise ValueError(
                        f"{role} tips for {call_type.value} calls: {count} apply to any deal "
                        f"(no `when`), but a DM takes {GENERAL_TIPS_PER_CALL} and the next "
                        f"one must differ, so write at least {need}"
                    )
        return tips


def load_tips(config_dir: Path) -> tuple[list[Tip], list[ConfigProblem]]:
    """The pre-call tips in ``tips.yaml``; none (and no problem) when there is no such file."""
    path = config_dir / TIPS_FILE
    if not path.exists():
        return [], []
    data, problems = read_yaml(path)
    if problems:
        return [], problems
    library, problems = validate_model(TipLibrary, data, path)
    return (list(library.tips) if library else []), problems
