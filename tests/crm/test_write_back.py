"""Write-back: what the bot learns becomes a note on the HubSpot deal (stand-in over HTTP)."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from bot.clock import AdjustableClock
from bot.db.models import CrmWriteBack, CrmWriteState, Deal
from bot.services import crm_writes, handoffs, people
from bot.services.handoffs import HandoffDraft
from tests.conftest import REP, SE1, TEAM_ID
from tests.crm.conftest import CRM_START, Harness

NOTES = "/crm/v3/objects/notes"


def open_and_resolve(harness: Harness, deal_name: str) -> None:
    deps = harness.deps
    now = deps.clock.now()
    with deps.transaction() as session:
        workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=now)
        rep, se = (
            people.person(
                session=session, workspace=workspace, slack_user_id=who, config=deps.config, now=now
            )
            for who in (REP, SE1)
        )
        handoff = handoffs.open(
            session=session,
            workspace=workspace,
            rep=rep,
            assignee=se,
            draft=HandoffDraft(deal_name=deal_name, problem="SSO with Okta fails for EU users"),
            config=deps.config,
            now=now,
        )
        handoffs.accept(session=session, handoff=handoff, actor=se, config=deps.config, now=now)
        handoffs.resolve(
            session=session,
            handoff=handoff,
            actor=se,
            note="Fixed by the 4.2 connector",
            config=deps.config,
            now=now,
        )


def rows(harness: Harness) -> list[CrmWriteBack]:
    with harness.deps.transaction() as session:
        found = list(session.scalars(select(CrmWriteBack).order_by(CrmWriteBack.id)))
        session.expunge_all()
        return found


def test_a_handoff_on_a_crm_deal_is_written_to_the_deal_once(harness: Harness) -> None:
    [crm_id] = harness.hubspot.seed(1, start=CRM_START, name="Acme Corp")
    harness.sync()
    open_and_resolve(harness, "acme corp 00001")
    assert len(harness.deals()) == 1, "the handoff found the synced deal by name"
    first = crm_writes.run_once(harness.deps, harness.crm, worker="w1")
    again = crm_writes.run_once(harness.deps, harness.crm, worker="w1")
    assert (first.written, again.claimed) == (2, 0)
    notes = harness.hubspot.notes
    assert [note.deal_ids for note in notes] == [[crm_id], [crm_id]]
    assert "SSO with Okta" in notes[0].properties["hs_note_body"]
    assert "4.2 connector" in notes[1].properties["hs_note_body"]
    assert [(row.kind, row.state, row.crm_note_id) for row in rows(harness)] == [
        ("handoff_opened", CrmWriteState.WRITTEN, notes[0].id),
        ("handoff_resolved", CrmWriteState.WRITTEN, notes[1].id),
    ]


def test_a_deal_typed_in_slack_writes_nothing_back(harness: Harness) -> None:
    open_and_resolve(harness, "Initech")
    assert rows(harness) == []
    assert crm_writes.run_once(harness.deps, harness.crm, worker="w1").claimed == 0


def test_a_refused_write_is_retried_with_backoff(harness: Harness, clock: AdjustableClock) -> None:
    harness.hubspot.seed(1, start=CRM_START, name="Acme Corp")
    harness.sync()
    with harness.deps.transaction() as session:
        deal = session.scalars(select(Deal)).one()
        crm_writes.queue(
            session=session, deal=deal, kind="gap", key="1", note=("t", "b"), now=clock.now()
        )
    for _ in range(harness.deps.config.crm.max_attempts):
        harness.hubspot.fail(NOTES)
    report = crm_writes.run_once(harness.deps, harness.crm, worker="w1")
    assert (report.written, report.retried) == (0, 1)
    [row] = rows(harness)
    assert row.state is CrmWriteState.DUE and row.attempts == 1
    assert timedelta(seconds=50) < row.due_at - clock.now() <= timedelta(minutes=1)
    assert crm_writes.run_once(harness.deps, harness.crm, worker="w1").claimed == 0
    clock.advance(timedelta(minutes=1))
    assert crm_writes.run_once(harness.deps, harness.crm, worker="w1").written == 1
    assert len(harness.hubspot.notes) == 1


def test_two_sweepers_at_once_write_each_note_once(harness: Harness) -> None:
    harness.hubspot.seed(5, start=CRM_START)
    harness.sync()
    with harness.deps.transaction() as session:
        for deal in session.scalars(select(Deal)):
            for n in range(8):
                crm_writes.queue(
                    session=session,
                    deal=deal,
                    kind="gap",
                    key=f"{deal.id}:{n}",
                    note=(f"Gap {n}", f"On {deal.name}"),
                    now=harness.deps.clock.now(),
                )
    start = threading.Barrier(2)
    written: dict[str, int] = {}

    def sweep(worker: str) -> None:
        start.wait()
        total = 0
        while (
            report := crm_writes.run_once(harness.deps, harness.crm, worker=worker, limit=7)
        ).claimed:
            total += report.written
        written[worker] = total

    threads = [threading.Thread(target=sweep, args=(w,)) for w in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(written.values()) == 40
    bodies = [note.properties["hs_note_body"] for note in harness.hubspot.notes]
    assert len(bodies) == 40 == len(set(bodies)), "no note was written twice"
    assert {row.state for row in rows(harness)} == {CrmWriteState.WRITTEN}
