"""The deal resolver on a real database (SQLite and PostgreSQL): a table of names as typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.models import Deal, Person, Workspace
from bot.services import deals, people
from bot.services.deals import Candidates, Found, Match, NoMatch, Refusal, Refused
from tests.conftest import REP, START, TEAM_ID

KNOWN = [
    "Acme Corp",
    "Acme East",
    "Acme West",
    "Globex Corporation",
    "Initech",
    "Société Générale",
    "Müller GmbH",
    "Umbrella Ltd",
    "Stark Industries",
    "Wayne Enterprises",
    "Data Dog Inc.",
    "O'Reilly Media",
    "AT&T",
    "Hooli",
    "Pied Piper",
    "Soylent Logistics",
    "Soylent Robotics",
    "Tyrell Corp.",
    "Nakatomi Trading",
    "Zürich Versicherung AG",
]

# (typed, expected): "=Name" found exactly, "~Name" found written another way,
# "?A|B" did you mean (in this order), "new" nothing close, "!reason" refused.
TABLE = [
    ("Acme Corp", "=Acme Corp"),
    ("acme corp", "=Acme Corp"),
    ("  ACME   CORP ", "=Acme Corp"),
    ("Acme Corp.", "~Acme Corp"),
    ("Acme, Inc.", "~Acme Corp"),
    ("Acme", "~Acme Corp"),
    ("acme corporation", "~Acme Corp"),
    ("Acme Crop", "?Acme Corp"),
    ("Acme East", "=Acme East"),
    ("Acme West", "=Acme West"),
    ("acme-east", "~Acme East"),
    ("Acme Eastt", "?Acme East"),
    ("Acme North", "new"),
    ("Globex", "~Globex Corporation"),
    ("GLOBEX CORP", "~Globex Corporation"),
    ("Globx", "?Globex Corporation"),
    ("Initech", "=Initech"),
    ("Inittech", "?Initech"),
    ("Intiech", "?Initech"),
    ("Initrode", "new"),
    ("Societe Generale", "~Société Générale"),
    ("SOCIÉTÉ GÉNÉRALE SA", "~Société Générale"),
    ("Societe Generalle", "?Société Générale"),
    ("Muller", "~Müller GmbH"),
    ("müller gmbh & co. kg", "~Müller GmbH"),
    ("Umbrella", "~Umbrella Ltd"),
    ("Umbrela Limited", "?Umbrella Ltd"),
    ("Stark", "?Stark Industries"),
    ("Stark Industires", "?Stark Industries"),
    ("Wayne Ent", "?Wayne Enterprises"),
    ("Datadog", "~Data Dog Inc."),
    ("data-dog", "~Data Dog Inc."),
    ("OReilly Media", "~O'Reilly Media"),
    ("o’reilly media inc", "~O'Reilly Media"),
    ("AT and T", "~AT&T"),
    ("at&t inc.", "~AT&T"),
    ("Hooli", "=Hooli"),
    ("Hooly", "?Hooli"),
    ("Pied Piper", "=Pied Piper"),
    ("PiedPiper", "~Pied Piper"),
    ("Pied Paper", "?Pied Piper"),
    ("Soylent Logistics", "=Soylent Logistics"),
    ("Soylent Robotics", "=Soylent Robotics"),
    ("Soylent", "?Soylent Logistics|Soylent Robotics"),
    ("Soylent Green", "new"),
    ("Tyrell", "~Tyrell Corp."),
    ("Nakatomi", "?Nakatomi Trading"),
    ("Zurich Versicherung", "~Zürich Versicherung AG"),
    ("Brand New Prospect", "new"),
    ("", "!empty"),
    ("   ", "!empty"),
    ("x" * 151, "!too_long"),
    ("?!...", "!no_letters"),
    ("---", "!no_letters"),
]


def rep(session: Session, config: DealCoachConfig) -> Person:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    return people.person(
        session=session,
        workspace=workspace,
        slack_user_id=REP,
        config=config,
        now=START,
        profile=people.Profile(REP, "rep", "Europe/Berlin"),
    )


@pytest.fixture
def known(session: Session, config: DealCoachConfig) -> Workspace:
    owner = rep(session, config)
    workspace = session.get_one(Workspace, owner.workspace_id)
    for minutes, name in enumerate(KNOWN):
        deals.create(
            session=session,
            workspace=workspace,
            name=name,
            owner=owner,
            now=START + timedelta(minutes=minutes),
        )
    session.flush()
    return workspace


def outcome(resolution: deals.Resolution) -> str:
    match resolution:
        case Found(deal, Match.EXACT):
            return f"={deal.name}"
        case Found(deal, Match.NORMALIZED):
            return f"~{deal.name}"
        case Candidates(_, found):
            return "?" + "|".join(sorted(deal.name for deal in found))
        case NoMatch():
            return "new"
        case Refused(reason, _):
            return f"!{reason.value}"
    raise AssertionError(resolution)


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 40
    assert sum(1 for _, expected in TABLE if expected.startswith("?")) >= 10


def test_names_resolve_as_people_mean_them(session: Session, known: Workspace) -> None:
    """The whole table in one test (one database set-up per backend, not 54)."""
    before = session.scalar(select(func.count()).select_from(Deal))
    wrong = [
        (typed, expected, found)
        for typed, expected in TABLE
        if (found := outcome(deals.resolve(session=session, workspace=known, name=typed)))
        != expected
    ]
    assert wrong == []
    session.flush()
    assert session.scalar(select(func.count()).select_from(Deal)) == before


def test_every_refusal_says_how_to_write_the_name(session: Session, known: Workspace) -> None:
    for typed in ("", "x" * 300, "!!!"):
        refused = deals.resolve(session=session, workspace=known, name=typed)
        assert isinstance(refused, Refused)
        assert "e.g. `Acme Corp`" in refused.message


def test_a_name_that_fits_too_many_deals_is_refused(
    session: Session, config: DealCoachConfig
) -> None:
    owner = rep(session, config)
    workspace = session.get_one(Workspace, owner.workspace_id)
    for number in range(40):
        deals.create(
            session=session,
            workspace=workspace,
            name=f"Acme Region {number}",
            owner=owner,
            now=START,
        )
    refused = deals.resolve(session=session, workspace=workspace, name="Acme")
    assert isinstance(refused, Refused)
    assert refused.reason is Refusal.TOO_MANY
    assert "fits 40 deals" in refused.message


def test_the_same_name_written_two_ways_twice_asks_which(
    session: Session, config: DealCoachConfig
) -> None:
    owner = rep(session, config)
    workspace = session.get_one(Workspace, owner.workspace_id)
    for name in ("Acme Inc", "ACME Corp."):
        deals.create(session=session, workspace=workspace, name=name, owner=owner, now=START)
    asked = deals.resolve(session=session, workspace=workspace, name="Acme")
    assert outcome(asked) == "?ACME Corp.|Acme Inc"


def test_options_are_most_recently_active_first_filtered_and_capped(
    session: Session, known: Workspace
) -> None:
    everything = deals.options(session=session, workspace=known, typed="")
    assert [option.name for option in everything[:2]] == [
        "Zürich Versicherung AG",
        "Nakatomi Trading",
    ]
    assert len(deals.options(session=session, workspace=known, typed="", limit=5)) == 5
    acme = [option.name for option in deals.options(session=session, workspace=known, typed="acm")]
    assert acme == ["Acme West", "Acme East", "Acme Corp"]
    assert [
        option.name for option in deals.options(session=session, workspace=known, typed="zur")
    ] == ["Zürich Versicherung AG"]


def test_narrowing_before_the_edit_distance_misses_no_close_name() -> None:
    """``_near`` only saves work: every name ``closeness`` accepts is among its picks."""
    from bot.coaching import deal_names
    from bot.services.deals import _near

    stored = [
        "Acme Corporation",
        "Acme Corp",
        "Acme Logistics",
        "Acne Corp",
        "Müller GmbH",
        "Globex",
        "Globex East",
        "Initech Incorporated",
        "Hooli",
        "Wayne Enterprises",
    ]
    names = dict(enumerate(stored))
    typed_names = [
        "Acme Corporatoin",
        "Acme",
        "acme corp.",
        "Acme Log",
        "Muller",
        "Globx",
        "Globex West",
        "Initech Inc",
        "Hooly",
        "Wayne",
        "Zzz",
    ]
    for typed in typed_names:
        close = {i for i, name in names.items() if deal_names.closeness(typed, name) is not None}
        assert close <= set(_near(typed, names)), typed
