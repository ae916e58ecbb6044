"""App Home: publish the person's handoffs, gaps, calls, snoozes and settings when they look."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.blocks import coach as coach_blocks
from bot.blocks import report as report_blocks
from bot.blocks.common import escape, mention
from bot.blocks.crm import deal_link
from bot.blocks.home import DEFAULT_ROWS, HandoffRow, Line, Section, home_view, settings_section
from bot.blocks.snooze import subject_label
from bot.db.models import Call, CallState, Deal, Person, Workspace
from bot.deps import Deps
from bot.listeners.acting import Caller
from bot.listeners.commands.coach import open_settings
from bot.listeners.wiring import wire
from bot.services import handoffs, preferences, qualification, reports, snoozes
from bot.slack.ids import Action

Rows = list[HandoffRow | Line]


def _sections(deps: Deps, session: Session, person: Person) -> list[Section]:
    now = deps.clock.now()
    as_rep, as_se = handoffs.open_for(session=session, person=person)

    def rows(items: list[Any], as_se_flag: bool) -> Rows:
        return [
            HandoffRow(h, handoffs.sla_state(session=session, handoff=h, now=now), as_se_flag)
            for h in items
        ]

    prefs = preferences.for_person(person, deps.config)
    team = _team_of(deps, person)
    managing = (
        [
            Section(
                "team_snoozed",
                "Snoozed on your team",
                _team_snoozed(session, person, team, now),
                "Nothing snoozed.",
            )
        ]
        if team
        else []
    )
    return [
        *_team_report(deps, session, person, prefs.tz),
        Section("as_se", "Assigned to you", rows(as_se, True), "Nothing waiting for you."),
        Section("as_rep", "Handed off by you", rows(as_rep, False), "No open handoffs."),
        Section(
            "gaps",
            "Your deals with qualification gaps",
            _gaps(deps, session, person),
            "No open gaps.",
        ),
        Section(
            "calls",
            "Upcoming calls",
            _calls(session, person, prefs.tz, now),
            "No calls scheduled. `/precall` adds one.",
        ),
        Section("snoozed", "Snoozed by you", _snoozed(session, person, now), "Nothing snoozed."),
        *managing,
        Section(
            "settings",
            "Your settings",
            [Line(coach_blocks.saved_text(prefs.hours, prefs.digest_at).removeprefix("Saved: "))],
            "",
            extra=settings_section(f"Time zone: {prefs.tz} (from your Slack profile)"),
        ),
    ]


def _team_report(deps: Deps, session: Session, person: Person, tz: ZoneInfo) -> list[Section]:
    """For a manager: each team's headline figures this week and a "Full report" button."""
    sections: list[Section] = []
    for team in deps.config.report_teams(person.slack_user_id):
        report = reports.build(
            session=session,
            workspace=session.get_one(Workspace, person.workspace_id),
            team=team,
            config=deps.config,
            now=deps.clock.now(),
            weeks=reports.DEFAULT_WEEKS,
        )
        sections.append(
            Section(
                f"team_{len(sections)}",
                "Team",
                [Line(report_blocks.team_headline(report, tz=tz))],
                "",
                extra=[report_blocks.full_report_button(team.name)],  # type: ignore[list-item]
            )
        )
    return sections


def _gaps(deps: Deps, session: Session, person: Person) -> Rows:
    gaps: Rows = []
    for deal in session.scalars(select(Deal).where(Deal.owner_id == person.id).order_by(Deal.name)):
        lines = qualification.gap_lines(session=session, deal=deal, config=deps.config)
        if lines:
            closes = f" · closes {deal.close_date:%d %b}" if deal.close_date else ""
            gaps.append(
                Line(
                    f"*{deal_link(deal)}*{closes}\n"
                    + "\n".join(f"• {escape(g)}" for g in lines[:4])
                )
            )
    return gaps


def _calls(session: Session, person: Person, tz: ZoneInfo, now: datetime) -> Rows:
    return [
        Line(
            f"*{escape(call.deal.name)}* · {call.call_type.value} · "
            f"{call.starts_at.astimezone(tz):%a %d %b %H:%M}"
        )
        for call in session.scalars(
            select(Call)
            .where(
                or_(Call.rep_id == person.id, Call.se_id == person.id),
                Call.state == CallState.SCHEDULED,
                Call.starts_at > now,
            )
            .order_by(Call.starts_at)
        )
    ]


def _snoozed(session: Session, person: Person, now: datetime) -> Rows:
    return [
        Line(
            f"{subject_label(s.subject)} until {s.until:%a %d %b}"
            + (f": {escape(s.reason)}" if s.reason else "")
        )
        for s in snoozes.active_for(session=session, person=person, now=now)
    ]


def _team_of(deps: Deps, person: Person) -> list[str]:
    """The people on the teams ``person`` manages as an SE manager (not themselves)."""
    return sorted(
        {
            member
            for t in deps.config.teams
            if person.slack_user_id in t.se_managers
            for member in (*t.reps, *t.ses)
            if member != person.slack_user_id
        }
    )


def _team_snoozed(session: Session, person: Person, team: list[str], now: datetime) -> Rows:
    return [
        Line(
            f"{mention(s.person.slack_user_id)}: {subject_label(s.subject)} until "
            f"{s.until:%a %d %b}" + (f": {escape(s.reason)}" if s.reason else "")
        )
        for s in snoozes.active_among(
            session=session, workspace_id=person.workspace_id, slack_user_ids=team, now=now
        )
    ]


def publish_home(caller: Caller, *, rows: int = DEFAULT_ROWS) -> None:
    with caller.acting() as (session, who):
        view = home_view(
            _sections(caller.deps, session, who.person), now=caller.now(), rows_per_section=rows
        )
    caller.client.views_publish(user_id=caller.user_id, view=view)


def home_opened(event: dict[str, Any], caller: Caller) -> None:
    if event.get("tab") == "home":
        publish_home(caller)


def show_more(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    rows = int(body["actions"][0].get("value") or DEFAULT_ROWS)
    publish_home(caller, rows=min(rows, 50))


def settings(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    open_settings(caller, trigger_id=body["trigger_id"], response_url=None)


def register(app: App) -> None:
    wire(app.event, "app_home_opened", handler=home_opened)
    wire(app.action, Action.HOME_SHOW_MORE, handler=show_more)
    wire(app.action, Action.COACH_SETTINGS, handler=settings)
