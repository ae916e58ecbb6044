"""Playing the people: send the bot signed requests the way Slack does when someone acts.

A :class:`SlackDriver` types slash commands, clicks buttons on messages the bot posted to
the stand-in, fills in and submits the modals it opened, and opens App Home. It is how
the end-to-end tests (and the local shell) talk to a running bot over HTTP.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.standin import requests as slack_requests
from bot.standin.server import SlackStandIn
from bot.standin.store import Message, StoredView
from bot.standin.validation import check_options_answer

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """The bot's HTTP answer to one request."""

    status: int
    body: str

    def json(self) -> JsonDict:
        loaded: JsonDict = json.loads(self.body) if self.body else {}
        return loaded


@dataclass(frozen=True)
class Options:
    """A valid answer to an options load: (text, value) pairs in the order Slack shows them."""

    choices: tuple[tuple[str, str], ...]

    @classmethod
    def from_answer(cls, answer: JsonDict) -> Options:
        groups = answer.get("option_groups") or [{"options": answer.get("options", [])}]
        return cls(
            tuple(
                (option["text"]["text"], option["value"])
                for group in groups
                for option in group["options"]
            )
        )

    @property
    def texts(self) -> list[str]:
        return [text for text, _ in self.choices]


class DriverError(Exception):
    """The thing to press or fill in is not there (a wrong button, a closed modal)."""


def find_element(blocks: list[JsonDict], action_id: str) -> tuple[str, JsonDict]:
    """(block_id, element) of the interactive element with this action_id."""
    for block in blocks:
        elements = list(block.get("elements") or [])
        if block.get("accessory"):
            elements.append(block["accessory"])
        if block.get("element"):
            elements.append(block["element"])
        for element in elements:
            if element.get("action_id") == action_id:
                return str(block.get("block_id", "")), element
    raise DriverError(f"no element with action_id {action_id!r} here")


def _state_value(element: JsonDict, value: Any) -> JsonDict:
    """How Slack reports one input element's value in view.state.values."""
    kind = element["type"]
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "timepicker":
        return {"type": kind, "selected_time": value}
    if kind == "checkboxes":
        options = {o["value"]: o for o in element.get("options", [])}
        wanted = value.split(",") if isinstance(value, str) else list(value or [])
        unknown = [v for v in wanted if v and v not in options]
        if unknown:
            raise DriverError(f"{', '.join(unknown)} not among {sorted(options)}")
        return {"type": kind, "selected_options": [options[v] for v in wanted if v]}
    if kind in {"static_select", "radio_buttons"}:
        options = {o["value"]: o for o in element.get("options", [])}
        if value is not None and value not in options:
            raise DriverError(f"{value!r} is not one of {sorted(options)}")
        return {"type": kind, "selected_option": options.get(value)}
    if kind == "external_select":
        # Slack echoes the chosen option; the driver only knows its value (from suggest()).
        chosen = None if value is None else {"text": _plain(str(value)), "value": str(value)}
        return {"type": kind, "selected_option": chosen}
    return {"type": kind, "value": None if value is None else str(value)}


def _view_state(view: StoredView, values: Mapping[str, Any]) -> JsonDict:
    """A modal's ``state.values``: what was typed (block_id → value), else each initial."""
    inputs = {
        block["block_id"]: block["element"] for block in view.blocks if block.get("type") == "input"
    }
    unknown = set(values) - set(inputs)
    if unknown:
        raise DriverError(f"this form has no field {', '.join(sorted(unknown))}")
    return {
        block_id: {
            element["action_id"]: _state_value(element, values.get(block_id, _initial(element)))
        }
        for block_id, element in inputs.items()
    }


def _plain(text: str) -> JsonDict:
    return {"type": "plain_text", "text": text[:75]}


class SlackDriver:
    """Sends signed Slack requests to the bot at ``events_url`` as any pretend user."""

    def __init__(self, standin: SlackStandIn, *, events_url: str, signing_secret: str) -> None:
        self.standin = standin
        self.events_url = events_url
        self.signing_secret = signing_secret

    @property
    def team_id(self) -> str:
        return self.standin.workspace.team_id

    def post(
        self,
        body: bytes,
        *,
        signing_secret: str | None = None,
        timestamp: int | None = None,
        signed: bool = True,
        headers: Mapping[str, str] | None = None,
        url: str | None = None,
    ) -> Reply:
        """POST ``body`` to the bot (``url``, else the events URL), signed as Slack signs it
        (or not, to test refusals)."""
        all_headers = (
            slack_requests.sign(signing_secret or self.signing_secret, body, timestamp)
            if signed
            else {"Content-Type": slack_requests.FORM}
        )
        all_headers.update(headers or {})
        request = urllib.request.Request(  # noqa: S310 - a local http URL we were given
            url or self.events_url, data=body, headers=all_headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode())

    def command(
        self, user_id: str, text: str, *, command: str = "/handoff", channel_id: str | None = None
    ) -> Reply:
        """``user_id`` types ``command text``, in their DM with the bot unless told a channel."""
        channel = channel_id or self.standin.dm_channel(user_id)
        body = slash_command(
            self.standin,
            command=command,
            text=text,
            user_id=user_id,
            channel_id=channel,
        )
        return self.post(body)

    def click(
        self, user_id: str, message: Message, action_id: str, *, block_id: str | None = None
    ) -> Reply:
        """``user_id`` presses the button ``action_id`` on a message the bot posted (in the
        block ``block_id`` when several buttons share the action)."""
        blocks = [b for b in message.blocks or [] if block_id in (None, b.get("block_id"))]
        block_id, element = find_element(blocks, action_id)
        body = slack_requests.block_actions(
            user_id=user_id,
            team_id=self.team_id,
            action_id=action_id,
            value=element.get("value"),
            block_id=block_id,
            trigger_id=self.standin.new_trigger_id(user_id),
            channel_id=message.channel,
            message_ts=message.ts,
            message=message.to_slack(self.team_id),
            response_url=self.standin.new_response_url(
                message.channel, user_id, message_ts=message.ts
            ),
        )
        return self.post(body)

    def click_in_view(
        self,
        user_id: str,
        view: StoredView,
        action_id: str,
        *,
        block_id: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> Reply:
        """``user_id`` presses a button on a modal or on their App Home; ``values`` are what
        they typed into the modal's inputs so far (Slack sends them as the view's state)."""
        blocks = [b for b in view.blocks if block_id is None or b.get("block_id") == block_id]
        found_block, element = find_element(blocks, action_id)
        payload = dict(view.payload)
        payload.update(id=view.id, hash=view.hash, type=view.type)
        if values is not None:
            payload["state"] = {"values": _view_state(view, values)}
        body = slack_requests.block_actions(
            user_id=user_id,
            team_id=self.team_id,
            action_id=action_id,
            value=element.get("value"),
            block_id=found_block,
            trigger_id=self.standin.new_trigger_id(user_id),
            view=payload,
        )
        return self.post(body)

    def submit(self, user_id: str, view: StoredView, values: Mapping[str, Any]) -> Reply:
        """``user_id`` fills the modal's inputs (block_id → value) and presses submit."""
        submitted = dict(view.payload)
        submitted.update(id=view.id, hash=view.hash, state={"values": _view_state(view, values)})
        body = slack_requests.view_submission(
            user_id=user_id,
            team_id=self.team_id,
            view=submitted,
            trigger_id=self.standin.new_trigger_id(user_id),
        )
        return self.post(body)

    def suggest(
        self,
        user_id: str,
        view: StoredView,
        action_id: str,
        typed: str,
        *,
        options_url: str | None = None,
    ) -> Options:
        """``user_id`` types ``typed`` into the ``external_select`` ``action_id`` of a modal:
        Slack asks the app's options load URL (``options_url``, else the events URL), and the
        answer must be a valid ``options``/``option_groups`` payload (else :class:`DriverError`).
        """
        block_id, element = find_element(view.blocks, action_id)
        if element.get("type") != "external_select":
            raise DriverError(f"{action_id!r} is a {element.get('type')}, not an external_select")
        if len(typed) < int(element.get("min_query_length", 3)):
            raise DriverError(
                f"Slack waits for {element.get('min_query_length', 3)} characters before asking"
            )
        payload = dict(view.payload)
        payload.update(id=view.id, hash=view.hash, type=view.type)
        body = slack_requests.block_suggestion(
            user_id=user_id,
            team_id=self.team_id,
            action_id=action_id,
            block_id=block_id,
            value=typed,
            view=payload,
        )
        reply = self.post(body, url=options_url)
        if reply.status != 200:
            raise DriverError(f"the options load answered HTTP {reply.status}: {reply.body[:200]}")
        try:
            answer = reply.json()
        except ValueError as error:
            raise DriverError(f"the options load answer is not JSON: {reply.body[:200]}") from error
        problems = check_options_answer(answer)
        if problems:
            raise DriverError("invalid options answer: " + "; ".join(problems))
        return Options.from_answer(answer)

    def open_home(self, user_id: str) -> Reply:
        body = slack_requests.event_callback(
            team_id=self.team_id,
            event={
                "type": "app_home_opened",
                "user": user_id,
                "channel": self.standin.dm_channel(user_id),
                "tab": "home",
                "event_ts": "1700000000.000100",
            },
        )
        return self.post(body)


def _initial(element: JsonDict) -> Any:
    """What Slack submits for a field the person left as it was."""
    for key in ("initial_value", "initial_date", "initial_user", "initial_time"):
        if key in element:
            return element[key]
    if "initial_options" in element:
        return [option["value"] for option in element["initial_options"]]
    if "initial_option" in element:
        return element["initial_option"].get("value")
    return None


def slash_command(
    standin: SlackStandIn, *, command: str, text: str, user_id: str, channel_id: str
) -> bytes:
    """A slash command body with a fresh trigger id and response URL from the stand-in."""
    return slack_requests.slash_command(
        command=command,
        text=text,
        user_id=user_id,
        team_id=standin.workspace.team_id,
        channel_id=channel_id,
        trigger_id=standin.new_trigger_id(user_id),
        response_url=standin.new_response_url(channel_id, user_id),
    )
