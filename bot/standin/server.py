"""A local stand-in for Slack's Web API and response URLs, over real HTTP.

Point a ``slack_sdk.WebClient(base_url=standin.api_url)`` (or a Bolt app built on one) at it.
Every call is checked against Slack's method reference; a wrong call gets Slack's error answer
and is added to :attr:`SlackStandIn.violations`, so a test can fail on it. Socket Mode:
``apps.connections.open`` (with the app-level token) points the app at
:attr:`SlackStandIn.socket_mode`, a local WebSocket server that sends it envelopes.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

from bot.clock import Clock, SystemClock
from bot.standin.api_ref import ApiReference, Directory, default_reference
from bot.standin.httpd import Answer, LocalServer, json_answer
from bot.standin.identity import Workspace
from bot.standin.methods import ApiError, WebApi
from bot.standin.responses import handle_response_post
from bot.standin.socket_mode import SocketModeServer
from bot.standin.store import (
    Call,
    JsonDict,
    Message,
    ResponsePost,
    ResponseTarget,
    Store,
    StoredView,
    UploadedFile,
    User,
)


@dataclass
class _Fault:
    status: int
    error: str
    retry_after: int
    remaining: int


class SlackStandIn:
    """Slack's Web API as far as Deal Coach uses it, on 127.0.0.1 and an ephemeral port."""

    def __init__(
        self,
        *,
        bot_token: str | None = None,
        workspace: Workspace | None = None,
        clock: Clock | None = None,
        api_ref: ApiReference | Directory | None = None,
        trigger_ttl: float | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        workspace = workspace or Workspace()
        if bot_token is not None:
            workspace = dataclasses.replace(workspace, bot_token=bot_token)
        #: The workspace, app and bot user the stand-in plays (``bot_token`` is the only
        #: token it accepts; default ``"xoxb-standin"``).
        self.workspace = workspace
        self.host = host
        self.reference = (
            api_ref
            if isinstance(api_ref, ApiReference)
            else default_reference()
            if api_ref is None
            else ApiReference(api_ref)
        )
        self._store = Store(workspace=self.workspace, clock=clock or SystemClock())
        self._api = WebApi(self._store, trigger_ttl=trigger_ttl)
        self._changed = threading.Condition(self._store.lock)
        self._faults: dict[str, list[_Fault]] = {}
        #: Install codes not exchanged yet: code → the installing user.
        self._oauth_codes: dict[str, str] = {}
        #: Every wrong call (unknown method, bad arguments, invalid blocks), in words.
        self.violations: list[str] = []
        self._server: LocalServer | None = None
        self._thread: threading.Thread | None = None
        #: Socket Mode: the WebSocket server ``apps.connections.open`` points the app at
        #: (started on the first such call).
        self.socket_mode = SocketModeServer(
            app_id=self.workspace.app_id, report=self._violation, host=host
        )
        self._add_bot_user()

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        if self._server is None:
            self._server = LocalServer(self)
            self._api.upload_base = f"{self.base_url}upload/"
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="slack-standin",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self.socket_mode.stop()
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the Slack stand-in is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def api_url(self) -> str:
        """What to pass as ``WebClient(base_url=...)``."""
        return f"{self.base_url}api/"

    @property
    def bot_token(self) -> str:
        return self.workspace.bot_token

    @property
    def app_token(self) -> str:
        """The app-level token Socket Mode connects with (``connections:write``)."""
        return self.workspace.app_token

    # ---- setting the scene -----------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "America/New_York",
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        status_text: str = "",
        status_emoji: str = "",
        status_expiration: int = 0,
        email: str = "",
    ) -> User:
        """Register a user for ``users.info``; the tz offset follows the zone and the clock."""
        user = User(
            user_id,
            name,
            real_name or name,
            tz,
            is_bot=is_bot,
            deleted=deleted,
            status_text=status_text,
            status_emoji=status_emoji,
            status_expiration=status_expiration,
            email=email,
        )
        with self._store.lock:
            self._store.users[user_id] = user
        return copy.copy(user)

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str,
        thread_ts: str | None = None,
        blocks: list[JsonDict] | None = None,
    ) -> Message:
        """A message someone else posted (a user id as channel means the bot's DM with them)."""
        with self._changed:
            message = self._store.add(
                Message(
                    channel=self._store.resolve_channel(channel),
                    ts=self._store.next_ts(),
                    text=text,
                    blocks=blocks,
                    thread_ts=thread_ts,
                    user=user,
                )
            )
            self._changed.notify_all()
            return copy.deepcopy(message)

    def new_oauth_code(self, user_id: str) -> str:
        """The code Slack adds to the redirect after ``user_id`` approves an install."""
        code = f"{self.workspace.team_id}.{secrets.token_hex(8)}"
        with self._store.lock:
            self._oauth_codes[code] = user_id
        return code

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger id as Slack puts into interactions; views.open/push accept it once."""
        return self._store.new_trigger(user_id)

    def new_response_url(
        self, channel_id: str, user_id: str, *, message_ts: str | None = None
    ) -> str:
        """A response URL for an interaction in ``channel_id`` by ``user_id``.

        ``message_ts``: the message the interaction came from, which ``replace_original``
        and ``delete_original`` act on.
        """
        token = secrets.token_urlsafe(18)
        with self._store.lock:
            self._store.response_targets[token] = ResponseTarget(
                self._store.resolve_channel(channel_id), user_id, message_ts
            )
        return f"{self.base_url}response/{token}"

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with a failure.

        Default: HTTP 429 ``ratelimited`` with ``Retry-After``. ``status=500`` (or 503): a
        server error. ``error="channel_not_found"``: HTTP 200 with ``ok: false``.
        Injected failures are not violations.
        """
        if status is None:
            status = 200 if error is not None else 429
        if error is None:
            error = {200: "fatal_error", 429: "ratelimited"}.get(status, "internal_error")
        with self._store.lock:
            self._faults.setdefault(method, []).append(_Fault(status, error, retry_after, times))

    def reset(self, *, users: bool = False) -> None:
        """Forget messages, views, calls, violations and pending failures (users stay)."""
        with self._store.lock:
            self._store.clear(users=users)
            self._faults.clear()
            self.violations.clear()
            if users:
                self._add_bot_user()
        self.socket_mode.forget()

    # ---- inspection ------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._store.lock:
            return copy.deepcopy(self._store.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``count`` calls to ``method`` arrived (Bolt acks before it acts)."""
        self.wait_until(lambda: len(self.calls_to(method)) >= count, timeout)
        return self.calls_to(method)

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Block until ``condition()`` holds; re-checked whenever the stand-in changes."""
        with self._changed:
            if not self._changed.wait_for(condition, timeout=timeout):
                raise TimeoutError(f"the Slack stand-in waited {timeout}s in vain")

    def messages(self, channel: str) -> list[Message]:
        """Top-level messages (and broadcast replies) in a conversation, oldest first."""
        with self._store.lock:
            channel = self._store.resolve_channel(channel)
            return copy.deepcopy(self._store.top_level(channel))

    def replies(self, channel: str, ts: str) -> list[Message]:
        """The replies in the thread of ``ts``, oldest first, without the parent."""
        with self._store.lock:
            return copy.deepcopy(self._store.thread(self._store.resolve_channel(channel), ts))

    def ephemerals(self, user_id: str) -> list[Message]:
        """Messages only ``user_id`` saw, oldest first."""
        with self._store.lock:
            return copy.deepcopy(sorted(self._store.ephemerals(user_id), key=lambda m: m.ts))

    def dm_channel(self, user_id: str) -> str:
        return self._store.dm_id(user_id)

    def dm_messages(self, user_id: str) -> list[Message]:
        return self.messages(self.dm_channel(user_id))

    @property
    def views(self) -> dict[str, StoredView]:
        with self._store.lock:
            return copy.deepcopy(self._store.views)

    def home(self, user_id: str) -> StoredView | None:
        with self._store.lock:
            view = self._store.views.get(self._store.homes.get(user_id, ""))
            return copy.deepcopy(view)

    @property
    def responses(self) -> list[ResponsePost]:
        """Every POST to a response URL, in order."""
        with self._store.lock:
            return copy.deepcopy(self._store.responses)

    # ---- request handling ------------------------------------------------------------

    def _add_bot_user(self) -> None:
        self.add_user(self.workspace.bot_user_id, self.workspace.bot_name, is_bot=True)

    def _record(self, call: Call, violation: str | None = None) -> None:
        with self._changed:
            self._store.calls.append(call)
            if violation is not None:
                self.violations.append(violation)
            self._changed.notify_all()

    def _violation(self, violation: str) -> None:
        with self._changed:
            self.violations.append(violation)
            self._changed.notify_all()

    def _take_fault(self, method: str) -> _Fault | None:
        with self._store.lock:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            return fault

    def answer_api_call(
        self, method: str, *, query: str, body: bytes, content_type: str, authorization: str
    ) -> Answer:
        """Answer one Web API call (called from the HTTP threads)."""
        args: JsonDict = dict(parse_qsl(query, keep_blank_values=True))
        is_json = "json" in content_type.lower()
        try:
            if is_json and body:
                decoded = json.loads(body)
                if not isinstance(decoded, dict):
                    raise ValueError("a JSON body must be an object")
                args.update(decoded)
            elif body:
                args.update(parse_qsl(body.decode(), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError) as exc:
            return self._fail(method, args, ApiError("invalid_json", str(exc), violation=True))
        bearer = authorization.removeprefix("Bearer ").strip() if authorization else ""
        token = bearer or str(args.get("token") or "")
        recorded = {k: v for k, v in args.items() if k != "token"}

        fault = self._take_fault(method)
        if fault is not None:
            self._record(Call(method, recorded, False, fault.error, fault.status, injected=True))
            headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
            return json_answer({"ok": False, "error": fault.error}, fault.status, headers)
        if not self.reference.knows(method):
            problems = self.reference.check_call(method, args)
            answer = ApiError("unknown_method", *problems, violation=True)
            return self._fail(method, recorded, answer, req_method=method)
        if method == "oauth.v2.access":
            return self._oauth_access(method, args, recorded, authorization)
        if method == "apps.connections.open":
            return self._connections_open(method, args, recorded, token, bool(bearer))
        if not token:
            return self._fail(method, recorded, ApiError("not_authed"))
        if token == self.workspace.app_token:
            return self._fail(method, recorded, ApiError("not_allowed_token_type"))
        if token != self.workspace.bot_token:
            return self._fail(method, recorded, ApiError("invalid_auth"))
        problems = self.reference.check_call(
            method, args, bearer_token=bool(bearer), json_body=is_json and bool(body)
        )
        if problems:
            return self._fail(
                method, recorded, ApiError("invalid_arguments", *problems, violation=True)
            )
        try:
            result = self._api.call(method, args)
        except ApiError as error:
            return self._fail(method, recorded, error)
        self._record(Call(method, recorded, True))
        return json_answer({"ok": True, **result})

    def _oauth_access(
        self, method: str, args: JsonDict, recorded: JsonDict, authorization: str
    ) -> Answer:
        """Exchange an install code for the bot token: the last step of the OAuth flow.

        The app authenticates with its client id and secret (HTTP Basic, or form fields).
        """
        client_id, client_secret = args.get("client_id"), args.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, client_secret = decoded.partition(":")
        if (client_id, client_secret) != (self.workspace.client_id, self.workspace.client_secret):
            return self._fail(method, recorded, ApiError("invalid_client_id"))
        problems = self.reference.check_call(method, args)
        if problems:
            return self._fail(
                method, recorded, ApiError("invalid_arguments", *problems, violation=True)
            )
        with self._store.lock:
            user_id = self._oauth_codes.pop(str(args.get("code") or ""), None)
        if user_id is None:
            return self._fail(method, recorded, ApiError("invalid_code"))
        ws = self.workspace
        self._record(Call(method, recorded, True))
        return json_answer(
            {
                "ok": True,
                "access_token": ws.bot_token,
                "token_type": "bot",
                "scope": "commands,chat:write,im:write,users:read,files:write",
                "bot_user_id": ws.bot_user_id,
                "app_id": ws.app_id,
                "team": {"id": ws.team_id, "name": "Stand-in Workspace"},
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": user_id},
            }
        )

    def _connections_open(
        self, method: str, args: JsonDict, recorded: JsonDict, token: str, bearer: bool
    ) -> Answer:
        """A one-use WebSocket URL for Socket Mode; only the app-level token opens one."""
        if not token:
            return self._fail(method, recorded, ApiError("missing_args"))
        if token == self.workspace.bot_token:
            return self._fail(method, recorded, ApiError("not_allowed_token_type"))
        if token != self.workspace.app_token:
            return self._fail(method, recorded, ApiError("invalid_auth"))
        problems = self.reference.check_call(method, args, bearer_token=bearer)
        if problems:
            return self._fail(
                method, recorded, ApiError("invalid_arguments", *problems, violation=True)
            )
        url = self.socket_mode.new_url()
        self._record(Call(method, recorded, True))
        return json_answer({"ok": True, "url": url})

    def _fail(self, method: str, args: JsonDict, error: ApiError, **extra: Any) -> Answer:
        violation = None
        if error.violation:
            details = "; ".join(error.messages)
            violation = f"{method}: {error.error}" + (f": {details}" if details else "")
        self._record(Call(method, args, False, error.error), violation)
        body: JsonDict = {"ok": False, "error": error.error, **extra}
        if error.messages:
            body["response_metadata"] = {"messages": error.messages}
        return json_answer(body)

    def answer_upload(self, token: str, body: bytes) -> Answer:
        """Answer one POST of a file's bytes to its upload URL (called from the HTTP threads)."""
        with self._changed:
            status, text, violation = self._api.receive_upload(token, body)
            if violation is not None:
                self.violations.append(violation)
            self._changed.notify_all()
        return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()

    def uploaded(self, channel: str | None = None) -> list[UploadedFile]:
        """Files the bot uploaded (shared into ``channel``, or all), oldest first."""
        with self._store.lock:
            files = list(self._store.files.values())
            if channel is not None:
                channel = self._store.resolve_channel(channel)
                files = [f for f in files if channel in f.channels]
            return copy.deepcopy(files)

    def answer_response_url(self, token: str, body: bytes) -> Answer:
        """Answer one POST to a response URL (called from the HTTP threads)."""
        with self._changed:
            status, text, violation = handle_response_post(
                self._store, token, body, url=f"{self.base_url}response/{token}"
            )
            if violation is not None:
                self.violations.append(violation)
            self._changed.notify_all()
        return status, {"Content-Type": "text/html"}, text.encode()
