"""Bad input refused at the edge, before any listener: what no listener could use or store.

Slack signs whatever a client sends, so a button's value, a modal's state and a command's
text can be anything. Three things are checked here, once for every listener:

- a NUL byte anywhere in what a person typed (PostgreSQL cannot store one in text);
- a button whose value must be a row id (a handoff, a call, a debrief) holding anything but
  a number a row can have (1 … 2^63-1), and tip and snooze buttons likewise;
- nothing else: the fields' own meaning (a date in the past, a deal name with a mention)
  is checked by the forms and the services, which know the field.

A refusal is answered privately, says what to do, and no listener runs.
"""

from __future__ import annotations

import json
import logging
import re
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.blocks.deals import decode_pending
from bot.slack.ids import Action
from bot.slack.messenger import reply_privately

log = logging.getLogger("dealcoach.input")

MAX_ID = 2**63 - 1

#: Buttons whose value is one row's id.
ID_VALUED = frozenset(
    {
        Action.HANDOFF_ACCEPT,
        Action.HANDOFF_DECLINE,
        Action.HANDOFF_ASK_DETAIL,
        Action.HANDOFF_ANSWER_DETAIL,
        Action.HANDOFF_RESOLVE,
        Action.HANDOFF_REASSIGN,
        Action.DEBRIEF_OPEN,
        Action.DEBRIEF_REVISE,
        Action.DEBRIEF_SEND,
        Action.DEBRIEF_CONFIRM,
        Action.DEBRIEF_CORRECT,
    }
)
#: Buttons whose value is ``<call id>:<tip id>`` (a tip's id is a short slug).
PAIR_VALUED = frozenset({Action.TIP_HELPFUL, Action.TIP_NOT_HELPFUL})
#: Buttons whose value names an item, ``<kind>:<id>``.
SUBJECT_VALUED = frozenset({Action.SNOOZE_DAY, Action.SNOOZE_WEEK, Action.SNOOZE_UNTIL})

#: Buttons whose value is a JSON object naming a deal by id.
DEAL_JSON_VALUED = frozenset({Action.QUALIFY_OPEN, Action.QUALIFY_PICK_DEAL})
#: The modes a qualify button may carry.
_MODES = frozenset({None, "walk", "all", "summary", "details"})

#: "Did you mean" buttons: ``deal_pick.<n>`` and ``deal_create``, carrying the waiting command.
_DEAL_PICK = re.compile(rf"^{re.escape(Action.DEAL_PICK.value)}\.\d{{1,3}}$")
#: Buttons whose value is two ids, ``<a>:<b>`` (a gap and the need it joins).
TWO_IDS_VALUED = frozenset({Action.GAP_LINK})
#: A "route this" candidate: ``route_assign_<n>`` carrying ``<held request id>:<Slack user>``.
_ROUTE_ASSIGN = re.compile(rf"^{re.escape(Action.ROUTE_ASSIGN.value)}_\d{{1,3}}$")
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,20}$")

_SLUG = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_SUBJECT = re.compile(r"^[a-z_]+:(?P<id>\d{1,19})$")

STALE_BUTTON = (
    "That button doesn't match anything I sent (it may be from an old or edited "
    "message). Use the buttons on the latest card, or type `/handoff list` to find it."
)
NUL_TEXT = (
    "What you sent has an invisible control character (NUL) in it that I can't store. "
    "Type it again, or paste it as plain text, and send it once more."
)


def valid_id(value: Any) -> bool:
    text = str(value) if value is not None else ""
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


def button_problem(action: dict[str, Any]) -> str | None:
    """Why a pressed button's value cannot be one we made, or ``None``."""
    action_id, value = action.get("action_id"), action.get("value")
    if action_id in ID_VALUED and not valid_id(value):
        return STALE_BUTTON
    if action_id in PAIR_VALUED:
        first, colon, second = str(value or "").partition(":")
        if not (colon and valid_id(first) and _SLUG.match(second)):
            return STALE_BUTTON
    if action_id in DEAL_JSON_VALUED and not _deal_choice(value):
        return STALE_BUTTON
    if (
        action_id == Action.DEAL_CREATE or _DEAL_PICK.match(str(action_id or ""))
    ) and not _pending_choice(value):
        return STALE_BUTTON
    if action_id in TWO_IDS_VALUED:
        first, colon, second = str(value or "").partition(":")
        if not (colon and valid_id(first) and valid_id(second)):
            return STALE_BUTTON
    if _ROUTE_ASSIGN.match(str(action_id or "")):
        first, colon, second = str(value or "").partition(":")
        if not (colon and valid_id(first) and _SLACK_USER.match(second)):
            return STALE_BUTTON
    if action_id in SUBJECT_VALUED:
        found = _SUBJECT.match(str(value or ""))
        if found is None or not valid_id(found.group("id")):
            return STALE_BUTTON
    return None


def _pending_choice(value: Any) -> bool:
    """A "did you mean" value we made: a waiting command plus a deal id or a new name."""
    try:
        choice = decode_pending(str(value or ""))
    except (ValueError, zlib.error):
        return False
    new_deal = choice.get("new_deal")
    return valid_id(choice.get("deal_id")) or (isinstance(new_deal, str) and bool(new_deal))


def _deal_choice(value: Any) -> bool:
    try:
        loaded = json.loads(str(value or ""))
    except ValueError:
        return False
    return (
        isinstance(loaded, dict)
        and valid_id(loaded.get("deal_id"))
        and loaded.get("mode") in _MODES
        and isinstance(loaded.get("framework"), str | None)
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _nul_fields(state: dict[str, Any]) -> dict[str, str]:
    return {
        block_id: NUL_TEXT
        for block_id, elements in state.items()
        if any("\x00" in text for text in _strings(elements))
    }


class RefuseBadInput(Middleware):
    """Answers what no listener could use, privately, and lets everything else through."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if "command" in body:
            if "\x00" in str(body.get("text") or ""):
                return self._refused(body, "command_text", ephemeral_ack=NUL_TEXT)
            return next()
        kind = body.get("type")
        if kind == "view_submission":
            state = ((body.get("view") or {}).get("state") or {}).get("values") or {}
            errors = _nul_fields(state) if isinstance(state, dict) else {}
            if errors:
                log.info("modal refused at the edge", extra={"fields": sorted(errors)})
                return BoltResponse(
                    status=200, body={"response_action": "errors", "errors": errors}
                )
            return next()
        if kind == "block_actions":
            for action in body.get("actions") or []:
                problem = button_problem(action) if isinstance(action, dict) else None
                if problem is None and isinstance(action, dict) and "\x00" in str(action):
                    problem = NUL_TEXT
                if problem is not None:
                    self._tell(req, body, problem)
                    return self._refused(body, str(action.get("action_id")))
        return next()

    def _refused(
        self, body: dict[str, Any], what: str, *, ephemeral_ack: str | None = None
    ) -> BoltResponse:
        log.info("input refused at the edge", extra={"what": what})
        if ephemeral_ack is not None:
            return BoltResponse(
                status=200, body={"response_type": "ephemeral", "text": ephemeral_ack}
            )
        return BoltResponse(status=200, body="")

    def _tell(self, req: BoltRequest, body: dict[str, Any], text: str) -> None:
        user_id = (body.get("user") or {}).get("id")
        client = req.context.client
        if not user_id or client is None:
            return
        try:
            reply_privately(
                client, user_id=str(user_id), response_url=body.get("response_url"), text=text
            )
        except (SlackApiError, SlackClientError) as exc:
            log.warning(
                "could not tell someone why a button was refused", extra={"error": str(exc)}
            )
