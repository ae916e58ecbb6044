"""`dealcoach shell`: type slash commands as a pretend person and read what the bot answers.

Every command is a signed request over HTTP to the running app; every answer is read
back from the Slack stand-in and printed as text, with buttons as numbered choices.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select

from bot.db.models import Deal
from bot.services import due_times
from bot.shell import logfile, render
from bot.shell.completion import complete_line
from bot.shell.files import default_folder, shared_file_lines
from bot.shell.harness import SAMPLE_DIR, LocalBot, Pretend
from bot.shell.transcript import export_markdown
from bot.standin.driver import DriverError, Reply
from bot.standin.store import Message, StoredView

HELP = """\
Type a slash command as the current person, e.g.
  /handoff @sam Acme Corp: SSO with Okta fails for EU users
  /handoff            (opens the full form; you'll be asked field by field)
  /handoff list
Meta commands:
  :as NAME      act as someone else ({people})
  :press N      press button [N] (or :press Accept: the newest such button in your DM)
  :dm [NAME]    show a person's DM with the bot (default: you)
  :thread [N]   show the thread under the message with button [N] (default: the latest)
  :home         open your App Home
  :time +4h     let time pass (m, h, d): everything due on the way arrives at its time
  :time next    jump to the next thing that falls due
  :time         show the time for everyone
  :due          what is scheduled, when, for whom
  :log [N]      the last lines of this session's log file
  :history      what you typed;  :export FILE  the conversation as Markdown
  :help, :quit  (Tab completes; in a form, :press N, :cancel or Ctrl-C)"""

_DURATION = re.compile(r"^\+(\d+(?:\.\d+)?)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_MENTION = re.compile(r"(?<![<\w])@([A-Za-z][\w.-]*)")

Ask = Callable[[str], str]


class ShellError(Exception):
    """A mistake at the prompt: one line saying what to type instead."""


class FormCancelled(Exception):
    """The person typed :cancel (or Ctrl-C) inside a form."""


class FormClosed(Exception):
    """The person closed a form that has nothing to submit."""


class FormButton(Exception):
    """The person pressed a button inside a form."""

    def __init__(self, choice: render.Choice) -> None:
        super().__init__(choice.label)
        self.choice = choice


def _pick_button(buttons: list[render.Choice], raw: str) -> render.Choice | None:
    """A button by its number or its label."""
    for button in buttons:
        if raw in (str(button.number), button.label) or raw.casefold() == button.label.casefold():
            return button
    return None


@dataclass(frozen=True)
class Pressable:
    """Where a numbered button lives, so `:press N` can click it later."""

    channel: str
    ts: str
    action_id: str
    block_id: str
    label: str


def _digest(message: Message) -> str:
    return hashlib.sha1(  # noqa: S324 - a change detector, not security
        json.dumps([message.text, message.blocks], sort_keys=True).encode()
    ).hexdigest()


def _posted_at(ts: str) -> datetime:
    """When a message was posted: its ts is seconds since the epoch (on the shell's clock)."""
    return datetime.fromtimestamp(float(ts), tz=UTC)


def slash_commands() -> set[str]:
    """The commands the app declares in its manifest."""
    manifest = yaml.safe_load((SAMPLE_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    return {c["command"] for c in manifest["features"]["slash_commands"]}


class Console:
    """One shell session over a running :class:`LocalBot`."""

    def __init__(
        self,
        bot: LocalBot,
        *,
        as_name: str,
        out: TextIO,
        ask: Ask,
        log_path: Path | None = None,
    ) -> None:
        self.bot = bot
        self.me: Pretend = bot.person(as_name)
        self.out = out
        self.ask = ask
        self.commands = slash_commands()
        self._next_choice = 1
        self._choices: dict[int, Pressable] = {}
        self._seen_messages: dict[tuple[str, str], str] = {}
        self._seen_ephemerals: set[tuple[str, str]] = set()
        self._seen_views: dict[str, str] = {}
        #: Where files the bot shares (the weekly chart) are saved for opening.
        self.files_folder = default_folder()
        #: Where this session's logs go (``:log`` shows the end of it).
        self.log_path = log_path
        #: The conversation as shown, with what was typed (``:export`` writes it).
        self.transcript: list[str] = []
        #: (time on the shell's clock, person, line) for each line typed at the prompt.
        self.typed: list[tuple[datetime, str, str]] = []
        self._form_buttons: list[render.Choice] = []
        self._filling = False
        self._catch_up()

    def _catch_up(self) -> None:
        """Count what the stand-in already holds as seen: a new session starts quiet."""
        for person in self.bot.people:
            for message in self._conversation(self.bot.standin.dm_channel(person.slack_id)):
                self._seen_messages[(message.channel, message.ts)] = _digest(message)
            for message in self.bot.standin.ephemerals(person.slack_id):
                self._seen_ephemerals.add((person.slack_id, message.ts))
        self._seen_views = {view_id: v.hash for view_id, v in self.bot.standin.views.items()}

    # ---- the loop ------------------------------------------------------------------

    def run(self) -> None:
        over = " over Socket Mode" if self.bot.socket_mode else ""
        self.say(f"Deal Coach local shell{over}. You are {self.me.name}. Type :help for help.")
        if self.log_path is not None:
            self.say(f"Logs go to {self.log_path} (:log shows the last lines).")
        while True:
            try:
                if not self.handle(self._prompt(f"{self.me.name}> ")):
                    return
            except EOFError:  # end of input, also in the middle of a form
                self.say("")
                return
            except KeyboardInterrupt:  # Ctrl-C at the prompt drops the line, not the shell
                self.say("\n(Ctrl-C: that line was dropped; :quit leaves the shell)")

    def _prompt(self, prompt: str) -> str:
        """Ask, and keep the question and its answer in the transcript."""
        answer = self.ask(prompt)
        self.transcript.append(f"{prompt}{answer}")
        return answer

    def handle(self, line: str) -> bool:
        """Act on one line; ``False`` when the session should end."""
        line = line.strip()
        if not line:
            return True
        self.typed.append((self.bot.clock.now(), self.me.name, line))
        try:
            if line in {":quit", ":q", ":exit"}:
                return False
            if line.startswith(":"):
                self._meta(line)
            elif line.startswith("/"):
                self.slash(line)
            else:
                raise ShellError(
                    "Start with / for a slash command or : for a meta command (:help)."
                )
        except (ShellError, DriverError, KeyError) as exc:
            self.say(str(exc).strip("'\""))
        return True

    def say(self, text: str = "") -> None:
        self.transcript.append(text)
        print(text, file=self.out, flush=True)

    # ---- what people do --------------------------------------------------------------

    def slash(self, line: str) -> None:
        command, _, text = line.partition(" ")
        if command not in self.commands:
            known = ", ".join(sorted(self.commands))
            raise ShellError(f"There is no {command} command here; try {known}.")
        reply = self.bot.slack.command(
            self.me.slack_id, self._escape_mentions(text), command=command
        )
        self._after(reply)

    def press(self, number: int) -> None:
        target = self._choices.get(number)
        if target is None:
            raise ShellError(
                f"There is no button [{number}]; the numbers shown so far go up to "
                f"[{self._next_choice - 1}]."
            )
        message = self._find(target.channel, target.ts)
        if message is None:
            raise ShellError(f"The message with [{number}] is gone.")
        try:
            reply = self.bot.slack.click(
                self.me.slack_id, message, target.action_id, block_id=target.block_id or None
            )
        except DriverError:
            raise ShellError(
                f"[{number}] {target.label} is no longer on that message (it was updated)."
            ) from None
        self._after(reply)

    def press_label(self, label: str) -> None:
        """Press the newest button with this label on a message in my DM."""
        mine = self.bot.standin.dm_channel(self.me.slack_id)
        for number in sorted(self._choices, reverse=True):
            target = self._choices[number]
            if target.channel == mine and target.label.casefold() == label.casefold():
                self.press(number)
                return
        raise ShellError(f"No [{label}] button in your DM; :dm shows your messages.")

    def advance(self, spec: str) -> None:
        """Let time pass: every due moment inside the jump is swept at its own time."""
        if spec == "next":
            moment = self.bot.next_due()
            if moment is None:
                self.say("(nothing is scheduled; the clock stays where it is)")
                return
        else:
            match = _DURATION.match(spec.replace(" ", ""))
            if not match:
                raise ShellError("Write the time to skip as +30m, +4h or +2d, or :time next.")
            amount, unit = float(match.group(1)), _UNITS[match.group(2)]
            moment = self.bot.clock.now() + timedelta(**{unit: amount})
        claimed = self.bot.pass_time(moment, at_each=lambda _report: self.show_new())
        self.say(self._now_line())
        if claimed == 0:
            self.say("(nothing fell due)")

    def show_due(self) -> None:
        """What is scheduled, when (on the clock of the person at the prompt) and for whom."""
        with self.bot.session_factory() as session:
            waiting = due_times.scheduled(session)
        if not waiting:
            self.say("(nothing is scheduled)")
            return
        self.say(f"── Scheduled (times are {self.me.name}'s, {self.me.tz}) ──")
        for item in waiting:
            name = self.bot.names.get(item.recipient_slack_id, item.recipient_slack_id)
            deal = f" ({item.deal_name})" if item.deal_name else ""
            self.say(f"  {self._stamp(item.due_at, self.me.slack_id)} {item.label}{deal} → {name}")

    # ---- reading what happened -------------------------------------------------------

    def _after(self, reply: Reply) -> None:
        self.bot.settle()
        if reply.status != 200:
            self.say(
                "(the bot did not acknowledge within 3 seconds)"
                if self.bot.socket_mode
                else f"(the bot answered HTTP {reply.status})"
            )
        elif reply.body and not reply.body.startswith("{"):
            # A slash command answered in its ack with plain text: a private reply.
            self._print_message(self._private_title(), reply.body, None, None)
        elif reply.body:
            self._ack_body(reply.json())
        self.show_new()

    def _ack_body(self, answer: dict[str, object]) -> None:
        """A slash command answered in its ack (help, a usage hint) shows as a private reply."""
        text = answer.get("text")
        if isinstance(text, str):
            self._print_message(self._private_title(), text, None, None)

    def show_new(self) -> None:
        """Print everything the bot did since the last look, oldest first."""
        items: list[tuple[str, Callable[[], None]]] = []
        for person in self.bot.people:
            channel = self.bot.standin.dm_channel(person.slack_id)
            for message in self._conversation(channel):
                key = (message.channel, message.ts)
                digest = _digest(message)
                previous = self._seen_messages.get(key)
                if previous == digest:
                    continue
                self._seen_messages[key] = digest
                where = "in the thread" if message.is_reply else "DM"
                verb = "updated a message to" if previous else "→"
                when = self.bot.clock.now() if previous else _posted_at(message.ts)
                stamp = self._stamp(when, person.slack_id)
                title = f"{stamp} Deal Coach {verb} {person.name} ({where})"
                items.append((message.ts, self._printer(title, message)))
            for message in self.bot.standin.ephemerals(person.slack_id):
                key = (person.slack_id, message.ts)
                if key in self._seen_ephemerals:
                    continue
                self._seen_ephemerals.add(key)
                stamp = self._stamp(_posted_at(message.ts), person.slack_id)
                title = f"{stamp} Deal Coach → {person.name} (only {person.name} can see this)"
                items.append((message.ts, self._printer(title, message)))
        for _, show in sorted(items, key=lambda item: item[0]):
            show()
        self._forms()

    def _printer(self, title: str, message: Message) -> Callable[[], None]:
        return lambda: self._print_message(title, message.text, message.blocks, message)

    def _print_message(
        self, title: str, text: str, blocks: list[dict[str, object]] | None, message: Message | None
    ) -> None:
        lines, choices = render.render_message(
            text,
            blocks,
            self.bot.names,
            first_choice=self._next_choice,
        )
        self.say(f"── {title} ──")
        for line in lines:
            self.say(line)
        if message is not None:
            for line in shared_file_lines(self.bot.standin, message, self.files_folder):
                self.say(line)
            for choice in choices:
                self._choices[choice.number] = Pressable(
                    message.channel, message.ts, choice.action_id, choice.block_id, choice.label
                )
        self._next_choice += len(choices)
        self.say()

    def _conversation(self, channel: str) -> list[Message]:
        messages = []
        for top in self.bot.standin.messages(channel):
            messages.append(top)
            messages.extend(self.bot.standin.replies(channel, top.ts))
        return messages

    def _find(self, channel: str, ts: str) -> Message | None:
        for message in self._conversation(channel):
            if message.ts == ts:
                return message
        for person in self.bot.people:
            for message in self.bot.standin.ephemerals(person.slack_id):
                if message.ts == ts and message.channel == channel:
                    return message
        return None

    # ---- modals ----------------------------------------------------------------------

    def _forms(self) -> None:
        """Fill each modal that opened or changed for me, until none is left (a button in
        a form updates it, and the updated form is shown and asked again)."""
        if self._filling:
            return
        self._filling = True
        try:
            while (view := self._next_form()) is not None:
                self.fill(view)
        finally:
            self._filling = False

    def _next_form(self) -> StoredView | None:
        for view_id, view in self.bot.standin.views.items():
            if self._seen_views.get(view_id) == view.hash or view.type != "modal":
                continue
            self._seen_views[view_id] = view.hash
            if view.user_id in (None, self.me.slack_id):
                return view
        return None

    def fill(self, view: StoredView) -> None:
        """Show a modal, ask for each field, then submit it or press one of its buttons;
        re-ask the fields the app refuses."""
        lines, buttons = render.render_form(view.payload, self.bot.names)
        self.say(f"── Form: {render.view_title(view.payload)} ──")
        for line in lines:
            self.say(line)
        self.say(
            "(an empty line keeps a field as it is; "
            + (":press N presses a button; " if buttons else "")
            + ":cancel or Ctrl-C closes the form)"
        )
        self._form_buttons = buttons
        fields = render.form_fields(view.payload)
        labels = {field.block_id: field.label for field in fields}
        values: dict[str, str | None] = {}
        todo = fields
        while True:
            try:
                for field in todo:
                    values[field.block_id] = (
                        self._lookup(view, field)
                        if field.kind == "lookup"
                        else self._ask_field(field)
                    )
                if buttons or (not fields and view.payload.get("submit") is None):
                    self._finish_form(view, buttons)
            except (FormCancelled, KeyboardInterrupt):
                self.say("\n(form closed; what you typed in it was not sent)")
                return
            except FormButton as pressed:
                self._press_in_form(view, pressed.choice, values)
                return
            except FormClosed:
                self.say(f"({render.view_close_label(view.payload)}: form closed)")
                return
            reply = self.bot.slack.submit(self.me.slack_id, view, values)
            answer_body = reply.json() if reply.body.startswith("{") else {}
            errors = answer_body.get("errors") if isinstance(answer_body, dict) else None
            if not errors:
                self.say(f"({render.view_submit_label(view.payload)} sent)")
                self.bot.settle()
                self.show_new()
                return
            for block_id, problem in errors.items():
                self.say(f"  ! {labels.get(block_id, block_id)}: {problem}")
            todo = [field for field in fields if field.block_id in errors]

    def _finish_form(self, view: StoredView, buttons: list[render.Choice]) -> None:
        """After the fields: Enter submits (or closes a form without submit), a number
        presses that button. Returns to submit; raises to press, close or cancel."""
        submit = view.payload.get("submit")
        enter = (
            f"Enter sends “{render.view_submit_label(view.payload)}”"
            if submit is not None
            else f"Enter closes (“{render.view_close_label(view.payload)}”)"
        )
        numbers = ", ".join(f"{b.number} {b.label}" for b in buttons)
        while True:
            raw = self._prompt(f"  {enter}" + (f"; or press {numbers}" if buttons else "") + ": ")
            raw = raw.strip().removeprefix(":press").strip()
            if raw == ":cancel":
                raise FormCancelled
            if not raw:
                if submit is None:
                    raise FormClosed
                return
            chosen = _pick_button(buttons, raw)
            if chosen is not None:
                raise FormButton(chosen)
            self.say(f"  (no button {raw} here; pick one of {numbers}, or press Enter)")

    def _press_in_form(
        self, view: StoredView, choice: render.Choice, values: dict[str, str | None]
    ) -> None:
        typed = {key: value for key, value in values.items() if value is not None}
        self.say(f"(pressed {choice.label})")
        reply = self.bot.slack.click_in_view(
            self.me.slack_id, view, choice.action_id, block_id=choice.block_id, values=typed
        )
        if reply.status != 200:
            self.say(f"(the bot answered HTTP {reply.status})")
        self.bot.settle()
        self.show_new()

    def _lookup(self, view: StoredView, field: render.FormField) -> str | None:
        """A typeahead: what the person types goes to the app's options load, and the
        options come back as numbered choices."""
        optional = " (optional)" if field.optional else ""
        while True:
            raw = self._form_answer(f"  {field.label}, type to search{optional}: ")
            if not raw:
                if field.initial or field.optional:
                    return field.initial
                self.say("  (this one is required)")
                continue
            try:
                found = self.bot.slack.suggest(self.me.slack_id, view, field.action_id, raw)
            except DriverError as exc:
                self.say(f"  {exc}")
                continue
            if not found.choices:
                self.say("  (nothing matches; try other words)")
                continue
            for number, text in enumerate(found.texts, start=1):
                self.say(f"    {number}. {text}")
            pick = self._form_answer("  Pick a number (empty to search again): ")
            if pick.isdigit() and 1 <= int(pick) <= len(found.choices):
                return found.choices[int(pick) - 1][1]

    def _ask_field(self, field: render.FormField) -> str | None:
        labels = dict(field.options)
        initial = field.initial or ""
        shown = self.bot.names.get(initial) or labels.get(initial) or initial
        default = f" [{shown}]" if shown else ""
        optional = " (optional)" if field.optional else ""
        choices = ", ".join(value for value, _ in field.options)
        hint = {
            "date": " (YYYY-MM-DD)",
            "user": " (@name)",
            "time": " (HH:MM)",
            "multi": f" (comma-separated: {choices})",
            "select": " ("
            + ", ".join(f"{n}={label}" for n, (_, label) in enumerate(field.options, start=1))
            + ")",
        }.get(field.kind, "")
        while True:
            raw = self._form_answer(f"  {field.label}{hint}{optional}{default}: ")
            if not raw:
                if field.initial or field.optional:
                    return field.initial
                self.say("  (this one is required)")
                continue
            try:
                return self._field_value(field, raw)
            except ShellError as exc:
                self.say(f"  {exc}")

    def _form_answer(self, prompt: str) -> str:
        """One answer inside a form; :cancel leaves it, :press N presses one of its buttons."""
        while True:
            raw = self._prompt(prompt).strip()
            if raw == ":cancel":
                raise FormCancelled
            if not raw.startswith(":press"):
                return raw
            wanted = raw.removeprefix(":press").strip()
            chosen = _pick_button(self._form_buttons, wanted)
            if chosen is not None:
                raise FormButton(chosen)
            self.say(f"  (this form has no button {wanted or '?'})")

    def _field_value(self, field: render.FormField, raw: str) -> str:
        if field.kind == "user":
            try:
                return self.bot.person(raw).slack_id
            except KeyError as exc:
                raise ShellError(str(exc).strip("'\"")) from None
        if field.kind == "date":
            try:
                return date.fromisoformat(raw).isoformat()
            except ValueError:
                raise ShellError("Write the date as YYYY-MM-DD, e.g. 2026-11-27.") from None
        if field.kind == "time":
            try:
                return f"{time.fromisoformat(raw):%H:%M}"
            except ValueError:
                raise ShellError("Write the time as HH:MM, e.g. 09:30.") from None
        if field.kind == "multi":
            values = [part.strip() for part in raw.split(",") if part.strip()]
            known = {value for value, _ in field.options}
            if not values or set(values) - known:
                raise ShellError("Pick from: " + ", ".join(sorted(known)))
            return ",".join(values)
        if field.kind == "select":
            for number, (value, label) in enumerate(field.options, start=1):
                if raw in (str(number), value, label):
                    return value
            raise ShellError("Pick one of: " + ", ".join(label for _, label in field.options))
        return raw

    # ---- meta commands ---------------------------------------------------------------

    def _meta(self, line: str) -> None:
        name, _, argument = line[1:].partition(" ")
        argument = argument.strip()
        if name == "help":
            self.say(HELP.format(people=", ".join(p.name for p in self.bot.people)))
        elif name == "as":
            if not argument:
                raise ShellError("Say who: :as sam")
            self.me = self.bot.person(argument)
            self.say(f"You are now {self.me.name} ({self.me.role}, {self.me.tz}).")
        elif name == "press":
            if not argument:
                raise ShellError("Say which button: :press 1 (or its label, :press Accept)")
            if argument.isdigit():
                self.press(int(argument))
            else:
                self.press_label(argument)
        elif name == "dm":
            self._show_dm(self.bot.person(argument) if argument else self.me)
        elif name == "thread":
            self._show_thread(argument)
        elif name == "home":
            self._after(self.bot.slack.open_home(self.me.slack_id))
            home = self.bot.standin.home(self.me.slack_id)
            if home is not None:
                self._print_message(f"{self.me.name}'s App Home", "", home.blocks, None)
        elif name == "time":
            if argument:
                self.advance(argument)
            else:
                self.say(self._now_line())
        elif name == "due":
            self.show_due()
        elif name == "log":
            self._show_log(argument)
        elif name == "history":
            self._show_history()
        elif name == "export":
            self._export(argument)
        elif name == "cancel":
            raise ShellError("No form is open; :cancel closes one while it asks its fields.")
        else:
            raise ShellError(f"Unknown meta command :{name}; :help lists them.")

    def _show_log(self, argument: str) -> None:
        if self.log_path is None:
            raise ShellError("This session keeps no log file.")
        count = int(argument) if argument.isdigit() else 20
        lines = logfile.last_lines(self.log_path, count)
        self.say(f"── The last {len(lines)} line(s) of {self.log_path} ──")
        for line in lines:
            self.say(line)

    def _show_history(self) -> None:
        if not self.typed:
            self.say("(nothing typed yet)")
        for number, (moment, name, line) in enumerate(self.typed, start=1):
            self.say(
                f"{number:>3}  {self._stamp(moment, self.bot.person(name).slack_id)} {name}> {line}"
            )

    def _export(self, argument: str) -> None:
        if not argument:
            raise ShellError("Say where: :export conversation.md")
        target = Path(argument).expanduser()
        try:
            target.write_text(export_markdown(self.transcript), encoding="utf-8")
        except OSError as exc:
            raise ShellError(f"Could not write {target}: {exc.strerror}.") from None
        self.say(f"(the conversation so far is in {target})")

    def _show_dm(self, person: Pretend) -> None:
        channel = self.bot.standin.dm_channel(person.slack_id)
        messages = self.bot.standin.messages(channel)
        if not messages:
            self.say(f"(no messages between Deal Coach and {person.name} yet)")
        for message in messages:
            replies = len(self.bot.standin.replies(channel, message.ts))
            suffix = f", {replies} in thread" if replies else ""
            self._print_message(
                f"DM with {person.name}{suffix}", message.text, message.blocks, message
            )

    def _show_thread(self, argument: str) -> None:
        if argument:
            if not argument.isdigit() or int(argument) not in self._choices:
                raise ShellError(f"There is no button [{argument}] to find a thread by.")
            target = self._choices[int(argument)]
            channel, ts = target.channel, target.ts
        else:
            channel = self.bot.standin.dm_channel(self.me.slack_id)
            threaded = [
                m
                for m in self.bot.standin.messages(channel)
                if self.bot.standin.replies(channel, m.ts)
            ]
            if not threaded:
                raise ShellError("No thread in your DM yet.")
            channel, ts = threaded[-1].channel, threaded[-1].ts
        parent = self._find(channel, ts)
        replies = self.bot.standin.replies(channel, ts)
        if parent is not None:
            self._print_message("Thread", parent.text, parent.blocks, parent)
        for reply in replies:
            self._print_message("  reply", reply.text, reply.blocks, reply)

    def _private_title(self) -> str:
        """The title of an answer only the person at the prompt sees, stamped now."""
        stamp = self._stamp(self.bot.clock.now(), self.me.slack_id)
        return f"{stamp} Deal Coach → {self.me.name} (only you)"

    def _stamp(self, moment: datetime, slack_id: str) -> str:
        """``[Tue 09:30]``: the moment on the clock of the person it concerns."""
        try:
            zone = ZoneInfo(self.bot.person(slack_id).tz)
        except KeyError:
            zone = ZoneInfo("UTC")
        return f"[{moment.astimezone(zone):%a %H:%M}]"

    def _now_line(self) -> str:
        now = self.bot.clock.now()
        local = ", ".join(
            f"{p.name} {now.astimezone(ZoneInfo(p.tz)):%a %H:%M}" for p in self.bot.people
        )
        return f"It is {now:%a %d %b %H:%M} UTC ({local})."

    def completions(self, line: str) -> list[str]:
        """Whole lines the typed ``line`` could become (for Tab)."""
        with self.bot.session_factory() as session:
            deals = session.scalars(select(Deal.name).distinct()).all()
        return complete_line(
            line,
            commands=self.commands,
            people=[p.name for p in self.bot.people],
            deals=deals,
        )

    def _escape_mentions(self, text: str) -> str:
        """What Slack does with "escape users" on: @sam becomes <@U…|sam>."""

        def replace(match: re.Match[str]) -> str:
            try:
                person = self.bot.person(match.group(1))
            except KeyError:
                return match.group(0)
            return f"<@{person.slack_id}|{person.name}>"

        return _MENTION.sub(replace, text)


def scripted(lines: Iterable[str]) -> Ask:
    """An ``ask`` that answers from a list, then ends the session (for tests and the demo)."""
    iterator = iter(lines)

    def ask(prompt: str) -> str:
        try:
            return next(iterator)
        except StopIteration:
            raise EOFError from None

    return ask


def interactive() -> Ask:
    """``input`` with line editing and history when the terminal supports it."""
    with contextlib.suppress(ImportError):  # no readline on Windows
        import readline  # noqa: F401 - importing it gives input() editing and history
    return input
