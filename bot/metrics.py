"""Prometheus metrics: what an operator watches the bot by.

Counters and histograms live in one registry of this module (one process, one set of
figures); with ``WORK_PROCESSES``, `serve` and its worker processes each write theirs to
files in one folder (prometheus_client's multiprocess mode, set up by
``bot.startup.share_metrics_across_processes``) and ``/metrics`` adds them up. The due
rows are read from the database when ``/metrics`` is scraped, so every replica reports
the same queue.
"""

from __future__ import annotations

import io
import json
import os
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler, RetryState
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine, func, select

from bot import logs
from bot.db.models import DueWork, DueWorkState
from bot.slack.fit import fit
from bot.startup import METRICS_DIR

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "dealcoach_slack_requests",
    "Requests from Slack, by kind (command, event, block_actions, …) and HTTP status.",
    ["kind", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "dealcoach_ack_seconds",
    "Time from receiving a Slack request to answering it (Slack allows 3 s).",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10),
    registry=REGISTRY,
)
SLACK_CALLS = Counter(
    "dealcoach_slack_api_calls",
    "Slack Web API calls, by method and outcome (ok, or Slack's error code).",
    ["method", "status"],
    registry=REGISTRY,
)
SLACK_RETRIES = Counter(
    "dealcoach_slack_api_retries",
    "Slack Web API calls retried after a rate limit, a server error or a dropped connection.",
    ["reason"],
    registry=REGISTRY,
)
SWEEP_SECONDS = Histogram(
    "dealcoach_sweep_seconds",
    "How long one sweep over due work took.",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120),
    registry=REGISTRY,
)


class MeteredWebClient(WebClient):
    """A WebClient that counts its calls by method and outcome."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        fit(api_method, kwargs.get("json"))  # Slack's length limits, before the call
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            SLACK_CALLS.labels(api_method, str(error.response.get("error", "error"))).inc()
            raise
        except Exception as error:
            SLACK_CALLS.labels(api_method, type(error).__name__).inc()
            raise
        SLACK_CALLS.labels(api_method, "ok").inc()
        return response


class CountingRetries(RetryHandler):
    """Wraps one of slack_sdk's retry handlers and counts the retries it allows."""

    def __init__(self, inner: RetryHandler, reason: str) -> None:
        super().__init__(max_retry_count=inner.max_retry_count)
        self._inner, self._reason = inner, reason

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        allowed = self._inner._can_retry(
            state=state, request=request, response=response, error=error
        )
        if allowed:
            SLACK_RETRIES.labels(self._reason).inc()
        return allowed

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        self._inner.prepare_for_next_attempt(**kwargs)


def metered_client_middleware(context: BoltContext, next: Callable[[], Any]) -> Any:
    """Bolt builds a plain WebClient per request; swap in a counting one with its token."""
    plain = context.client
    if plain is not None and not isinstance(plain, MeteredWebClient):
        context["client"] = MeteredWebClient(
            token=plain.token,
            base_url=plain.base_url,
            timeout=plain.timeout,
            headers=plain.headers,
            team_id=context.team_id,
            logger=plain.logger,
            retry_handlers=plain.retry_handlers,
        )
    return next()


class DueWorkCollector(Collector):
    """Due rows by state and the age of the oldest one still due, read at scrape time."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterable[Metric]:
        rows = GaugeMetricFamily(
            "dealcoach_due_work_rows", "Rows of due work by state.", labels=["state"]
        )
        oldest = GaugeMetricFamily(
            "dealcoach_due_work_oldest_due_seconds",
            "How long the oldest row still due has been due (0 when none is late).",
        )
        with self._engine.connect() as connection:
            counts = {
                state: count
                for state, count in connection.execute(
                    select(DueWork.state, func.count()).group_by(DueWork.state)
                )
            }
            first = connection.execute(
                select(func.min(DueWork.due_at)).where(DueWork.state == DueWorkState.DUE)
            ).scalar()
        for state in DueWorkState:
            rows.add_metric([state.value], counts.get(state, 0))
        age = 0.0
        if first is not None:
            first = first if first.tzinfo else first.replace(tzinfo=UTC)
            age = max(0.0, (datetime.now(UTC) - first).total_seconds())
        oldest.add_metric([], age)
        yield rows
        yield oldest


class _Everything(Collector):
    def __init__(self, engine: Engine) -> None:
        self._due = DueWorkCollector(engine)
        self._shared: Collector | None = None
        if os.environ.get(METRICS_DIR):  # this process's figures are in the folder too
            from prometheus_client.multiprocess import MultiProcessCollector

            self._shared = MultiProcessCollector(None)  # type: ignore[no-untyped-call]

    def collect(self) -> Iterable[Metric]:
        yield from (self._shared or REGISTRY).collect()
        yield from self._due.collect()


def registry_for(engine: Engine) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Everything(engine))
    return registry


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)


def serve_metrics(engine: Engine, *, port: int) -> None:
    """/metrics on its own port, for the worker (which has no web server of its own)."""
    from prometheus_client import start_http_server

    start_http_server(port, registry=registry_for(engine))


def request_kind(body: bytes, content_type: str) -> tuple[str, dict[str, str | None]]:
    """The kind of a Slack request (for a metric label) and its team and user (for logs)."""
    try:
        if "json" in content_type:
            data = json.loads(body)
        else:
            form = urllib.parse.parse_qs(body.decode())
            if "payload" in form:
                data = json.loads(form["payload"][0])
            elif "command" in form:
                return "command", {
                    "team": form.get("team_id", [None])[0],
                    "user": form.get("user_id", [None])[0],
                }
            else:
                return "other", {}
    except (ValueError, UnicodeDecodeError):
        return "malformed", {}
    if not isinstance(data, dict):
        return "malformed", {}
    kind = str(data.get("type") or "other")
    if kind == "event_callback":
        kind = "event"
    event, team, user = (_object(data, key) for key in ("event", "team", "user"))
    return kind if kind in KINDS else "other", {
        "team": _text(data.get("team_id")) or _text(team.get("id")),
        "user": _text(user.get("id")) or _text(event.get("user")),
    }


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


#: Label values for ``kind`` (anything else is "other", so the label stays small).
KINDS = frozenset(
    {
        "command",
        "event",
        "url_verification",
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "other",
        "malformed",
    }
)


def refused(status: int) -> None:
    """A request the edge guard turned away (401 unsigned or stale, 400 malformed)."""
    REQUESTS.labels("refused", str(status)).inc()


def instrument(handler: WSGIApplication) -> WSGIApplication:
    """Count and time every Slack request, and give its log lines a request id,
    the team and the user."""

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        kind, who = request_kind(body, environ.get("CONTENT_TYPE", ""))
        status = ["000"]

        def observe(code: str, headers: Any, exc_info: Any = None) -> Any:
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info)

        with logs.bind(request_id=uuid.uuid4().hex[:12], **who):
            try:
                return handler(environ, observe)
            finally:
                REQUESTS.labels(kind, status[0]).inc()
                ACK_SECONDS.labels(kind).observe(time.perf_counter() - started)

    return application
