"""`/coach settings`, `/coach away`, `/coach back` and `/coach help`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import coach as coach_blocks
from bot.listeners.acting import Caller
from bot.listeners.commands import away, coach_merge, gap, report
from bot.listeners.wiring import wire
from bot.services import manager_digest, preferences

USAGE = (
    "Try `/coach settings` for your working hours and digest, `/coach report` for your "
    "team's figures, `/coach gap <deal>: <what is missing>`, `/coach away until Friday`, "
    "`/coach back`, or `/coach help`."
)


def open_settings(caller: Caller, *, trigger_id: str, response_url: str | None) -> None:
    config = caller.deps.config
    with caller.acting() as (_session, who):
        prefs = preferences.for_person(who.person, config)
        weekly = (
            manager_digest.wants_digest(who.person, caller.user_id, config)
            if manager_digest.may_get_digest(caller.user_id, config)
            else None
        )
    caller.client.views_open(
        trigger_id=trigger_id,
        view=coach_blocks.settings_modal(
            prefs.hours,
            digest_at=prefs.digest_at,
            tz_name=str(prefs.tz),
            response_url=response_url,
            weekly_report=weekly,
        ),
    )


#: `/coach <word> …` steps that take the rest of the text.
_WITH_TEXT: dict[str, Callable[..., None]] = {
    "report": report.send_team_report,
    "gap": gap.log_gap,
    "away": away.set_away,
    "back": away.come_back,
}


def coach(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    text = (body.get("text") or "").strip()
    first, _, rest = text.partition(" ")
    if first.lower() in _WITH_TEXT:
        ack()
        _WITH_TEXT[first.lower()](caller, text=rest.strip(), response_url=body.get("response_url"))
        return
    word = text.lower()
    if word in {"", "help", "?"}:
        ack(text=coach_blocks.HELP_TEXT)
        return
    if coach_merge.is_merge(word):
        ack()
        coach_merge.merge_command(
            caller, text=body.get("text") or "", response_url=body.get("response_url")
        )
        return
    if word != "settings":
        ack(text=f"I don't know `/coach {word[:40]}`. {USAGE}")
        return
    ack()
    open_settings(caller, trigger_id=body["trigger_id"], response_url=body.get("response_url"))


def register(app: App) -> None:
    wire(app.command, "/coach", handler=coach)
    gap.register(app)
    report.register(app)
