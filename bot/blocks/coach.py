"""`/coach`: a person's own settings form, and help for every command."""

from __future__ import annotations

from datetime import time
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.config import Weekday, WorkingHours
from bot.slack.ids import Callback, Field
from bot.slack.metadata import Settings

_DAY_NAMES = {
    Weekday.MON: "Monday",
    Weekday.TUE: "Tuesday",
    Weekday.WED: "Wednesday",
    Weekday.THU: "Thursday",
    Weekday.FRI: "Friday",
    Weekday.SAT: "Saturday",
    Weekday.SUN: "Sunday",
}

HELP_TEXT = (
    "*Deal Coach commands*\n"
    "• `/handoff @sam Acme Corp: SSO with Okta fails for EU users` — hand a technical "
    "problem to an SE (`/handoff` alone opens the full form, `/handoff list` shows yours)\n"
    "• `/qualify Acme Corp` — walk the deal's qualification checklist "
    "(`/qualify Acme Corp summary` for the score and the gaps)\n"
    "• `/precall Acme Corp tomorrow 10am with @sam demo` — schedule a call and get tips "
    "before it\n"
    "• `/debrief Acme Corp` — put the customer's problem in your own words after a call\n"
    "• `/coach settings` — your working hours, working days and daily digest\n"
    "• `/coach away until Friday parental leave` — no new handoffs are routed to you "
    "through that day (in your time zone); `/coach back` when you return\n"
    "• `/coach gap Acme Corp: [API] bulk export (deal-breaker)` — log a product gap on a "
    "deal (the area and the weight are optional)\n"
    "• `/coach report [team] [weeks]` — your team's figures and chart (for managers)\n"
    '• `/coach merge "Acme Crop" into "Acme Corp"` — SE managers: make two deals one\n'
    "• `/coach help` — this list\n"
    "Nudges only reach you in your working hours, in your Slack time zone; every nudge "
    "has snooze buttons."
)


WEEKLY_REPORT_ON = "on"


def _weekly_report(on: bool) -> InputBlock:
    option = Option(value=WEEKLY_REPORT_ON, text="Send me the weekly team report")
    return InputBlock(
        block_id=Field.WEEKLY_REPORT.value,
        label="Weekly team report",
        optional=True,
        hint="Your team's figures and chart, once a week in your working hours.",
        element=CheckboxesElement(
            action_id=Field.WEEKLY_REPORT.value,
            options=[option],
            initial_options=[option] if on else None,
        ),
    )


def settings_modal(
    hours: WorkingHours,
    *,
    digest_at: time | None,
    tz_name: str,
    response_url: str | None,
    weekly_report: bool | None = None,
) -> dict[str, Any]:
    """``weekly_report``: ``None`` for people who get no team report (the box is left out)."""
    options = [Option(value=day.value, text=_DAY_NAMES[day]) for day in Weekday]
    chosen = [option for option in options if Weekday(option.value) in hours.days]
    view = View(
        type="modal",
        callback_id=Callback.COACH_SETTINGS.value,
        title=PlainTextObject(text="Your settings"),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=Settings(response_url=response_url).to_json(),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"Nudges reach you only in these hours, in your Slack time zone "
                    f"(*{tz_name}*). Change the zone in your Slack profile."
                )
            ),
            InputBlock(
                block_id=Field.WORK_START.value,
                label="Working day starts",
                element=TimePickerElement(
                    action_id=Field.WORK_START.value, initial_time=f"{hours.start:%H:%M}"
                ),
            ),
            InputBlock(
                block_id=Field.WORK_END.value,
                label="Working day ends",
                element=TimePickerElement(
                    action_id=Field.WORK_END.value, initial_time=f"{hours.end:%H:%M}"
                ),
            ),
            InputBlock(
                block_id=Field.WORK_DAYS.value,
                label="Working days",
                element=CheckboxesElement(
                    action_id=Field.WORK_DAYS.value, options=options, initial_options=chosen
                ),
            ),
            InputBlock(
                block_id=Field.DIGEST_AT.value,
                label="One daily digest at",
                optional=True,
                hint="Leave empty to get nudges as they come (within your working hours).",
                element=TimePickerElement(
                    action_id=Field.DIGEST_AT.value,
                    initial_time=f"{digest_at:%H:%M}" if digest_at else None,
                ),
            ),
            *([] if weekly_report is None else [_weekly_report(weekly_report)]),
        ],
    )
    view.validate_json()
    return view.to_dict()


def saved_text(hours: WorkingHours, digest_at: time | None) -> str:
    days = ", ".join(_DAY_NAMES[day][:3] for day in hours.days)
    rhythm = f"one digest a day at {digest_at:%H:%M}" if digest_at else "nudges as they come"
    return f"Saved: {hours.start:%H:%M}–{hours.end:%H:%M} on {days}, {rhythm}."
