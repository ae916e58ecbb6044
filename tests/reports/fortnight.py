"""A seeded fortnight of a team's work, shared by the report, chart, digest and export tests.

The report ends Tuesday 8 December 2026 09:00 UTC; with one week, "this week" is from
Tuesday 1 December and "last week" from Tuesday 24 November. Everyone works 09:00-17:00
UTC, Monday to Friday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.coaching.qualification import Answer, AnswerInput
from bot.config import CallType, DealCoachConfig, load_checklists
from bot.db.models import (
    Call,
    Deal,
    Handoff,
    HandoffEventKind,
    Paraphrase,
    Person,
    TipFeedback,
    Workspace,
)
from bot.services import gaps, handoffs, people, qualification
from bot.services.gaps import GapDraft
from bot.services.handoffs import HandoffDraft
from tests.conftest import MANAGER, REP, REP2, SE1, SE2, TEAM_ID

CHECKLISTS = Path(__file__).resolve().parents[2] / "config"
END = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def at(day: int, hour: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def with_checklists(config: DealCoachConfig) -> DealCoachConfig:
    checklists, problems = load_checklists(CHECKLISTS)
    assert problems == []
    return config.with_checklists(checklists)


@dataclass
class Seeded:
    workspace: Workspace
    handoffs: dict[str, Handoff]
    deals: dict[str, Deal]


def _person(session: Session, config: DealCoachConfig, slack_id: str) -> Person:
    return people.person(
        session=session,
        workspace=people.workspace(session=session, slack_team_id=TEAM_ID, now=at(23, 9, 11)),
        slack_user_id=slack_id,
        config=config,
        now=at(23, 9, 11),
        profile=people.Profile(slack_id, slack_id.lower(), "UTC"),
    )


def seed(session: Session, config: DealCoachConfig) -> Seeded:
    """Six handoffs, two qualified deals, paraphrases, tip ratings and two product gaps."""
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=at(23, 9, 11))
    who = {slack: _person(session, config, slack) for slack in (REP, REP2, SE1, SE2, MANAGER)}

    def open_(deal: str, when: datetime, rep: str = REP, hours: float = 8) -> Handoff:
        return handoffs.open(
            session=session,
            workspace=workspace,
            rep=who[rep],
            assignee=who[SE1],
            draft=HandoffDraft(deal_name=deal, problem="SSO fails", rep_hours=hours),
            config=config,
            now=when,
        )

    common = {"session": session, "config": config}
    h1 = open_("Acme", at(24, 10, 11))
    handoffs.accept(handoff=h1, actor=who[SE1], now=at(24, 12, 11), **common)
    handoffs.resolve(handoff=h1, actor=who[SE1], note=None, now=at(26, 10, 11), **common)
    h2 = open_("Beta", at(25, 10, 11))
    handoffs.decline(handoff=h2, actor=who[SE1], reason="Not ours", now=at(25, 11, 11), **common)
    # This week. Friday 16:00 to Monday 10:00 is two business hours, not a weekend.
    h3 = open_("Gamma", at(4, 16))
    handoffs.accept(handoff=h3, actor=who[SE1], now=at(7, 10), **common)
    h3.channel_id, h3.message_ts = "D0SE00001", "1764900000.000100"
    # Tuesday 10:00 to Wednesday 11:00: nine business hours, past the four-hour SLA.
    h4 = open_("Delta", at(1, 10), rep=REP2, hours=4)
    handoffs.record_bot_event(
        session=session, handoff=h4, kind=HandoffEventKind.ESCALATED, detail="x", now=at(1, 16)
    )
    handoffs.accept(handoff=h4, actor=who[SE1], now=at(2, 11), **common)
    handoffs.resolve(handoff=h4, actor=who[SE1], note=None, now=at(3, 10), **common)
    h5 = open_("Eps", at(2, 9))
    handoffs.reassign(
        handoff=h5, actor=who[MANAGER], new_assignee=who[SE2], now=at(2, 10), **common
    )
    h5.channel_id, h5.message_ts = "D0SE00002", "1764666000.000200"
    h6 = open_("Acme", at(7, 15))  # its SLA falls due after the report ends

    found = {h.deal.name: h.deal for h in (h1, h2, h3, h4, h5)}
    framework = config.checklists["default"]
    answers = {
        "Acme": {
            "qualified": Answer.YES,
            "business_case": Answer.YES,
            "deadlines": Answer.YES,
            "pitfalls": Answer.NO,
            "economic_buyer_met": Answer.UNKNOWN,
        },
        "Beta": {
            "qualified": Answer.YES,
            "business_case": Answer.YES,
            "deadlines": Answer.YES,
            "pitfalls": Answer.YES,
            "differentiators": Answer.YES,
        },
    }
    for name, given in answers.items():
        qualification.record(
            session=session,
            deal=found[name],
            framework=framework,
            answers=[AnswerInput(key, answer, None) for key, answer in given.items()],
            actor=who[REP],
            config=config,
            now=at(1, 12),
        )

    call = Call(
        workspace_id=workspace.id,
        deal_id=found["Acme"].id,
        rep_id=who[REP].id,
        call_type=CallType.DEMO,
        starts_at=at(2, 14),
        length_minutes=60,
        created_at=at(1, 9),
    )
    session.add(call)
    session.flush()
    for number, (created, confirmed) in enumerate(
        [(at(25, 12, 11), None), (at(2, 15), at(3, 9)), (at(3, 15), None)], start=1
    ):
        session.add(
            Paraphrase(
                workspace_id=workspace.id,
                deal_id=found["Acme"].id,
                author_id=who[REP].id,
                version=number,
                text="They lose orders",
                score=80,
                findings="[]",
                created_at=created,
                confirmed_at=confirmed,
                confirmed_by_id=who[SE1].id if confirmed else None,
            )
        )
    for person, tip, helpful in ((REP, "a", True), (REP, "b", True), (SE1, "a", False)):
        session.add(
            TipFeedback(
                person_id=who[person].id, call_id=call.id, tip_id=tip, helpful=helpful, at=at(2, 13)
            )
        )
    for deal, value in (("Acme", 100_000), ("Delta", 40_000)):
        found[deal].amount = value
    session.flush()
    sso = gaps.log(
        session=session,
        workspace=workspace,
        deal=found["Acme"],
        draft=GapDraft("SSO with Okta", "Security & compliance", "deal_breaker"),
        actor=who[SE1],
        config=config,
        now=at(3, 10),
    )
    other = gaps.log(
        session=session,
        workspace=workspace,
        deal=found["Delta"],
        draft=GapDraft("Okta SSO", "Security & compliance", "challenge"),
        actor=who[SE1],
        config=config,
        now=at(3, 11),
    )
    gaps.link(session=session, gap=other, group_id=sso.group_id)
    session.flush()
    return Seeded(
        workspace,
        {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5, "h6": h6},
        found,
    )
