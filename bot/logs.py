"""Logs: readable text in a terminal, one JSON object a line otherwise (``LOG_FORMAT``).

Each line carries the Slack team, user and our request id when they are known (set by
:func:`bind` where a request comes in, and carried into listener threads by
:class:`ContextExecutor`). A traceback is a list of lines in JSON and indented lines in
text, trimmed to its last frames; anything shaped like a Slack token or a Fernet key is
masked before it is written.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
#: Slack tokens (xoxb-, xoxp-, xapp-, xoxe-…) and anything after "password=" / a URL's ":pw@".
_SECRETS = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+|(?<=://)([^:/@\s]+):[^@\s]+(?=@)")
#: Lines of a traceback kept (the end, where the error is).
TRACEBACK_LINES = 60
#: Longest line of a traceback kept (a repr of a large payload is cut short).
LINE_CHARS = 300

_CONTEXT: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("dealcoach_log")

P = ParamSpec("P")
T = TypeVar("T")


def mask(text: str) -> str:
    return _SECRETS.sub(lambda m: f"{m.group(1)}-***" if m.group(1) else f"{m.group(2)}:***", text)


@contextmanager
def bind(**fields: str | None) -> Iterator[None]:
    """Add these fields (team, user, request_id …) to every line logged inside."""
    current = dict(_CONTEXT.get({}))
    current.update({key: value for key, value in fields.items() if value})
    token = _CONTEXT.set(current)
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def bind_more(**fields: str | None) -> None:
    """Add fields for the rest of this request (inside a :func:`bind`)."""
    _CONTEXT.set({**_CONTEXT.get({}), **{k: v for k, v in fields.items() if v}})


class ContextExecutor(Executor):
    """Runs each task in a copy of the submitter's context, so a listener's log lines
    after its ack still name the team, user and request."""

    def __init__(self, inner: Executor) -> None:
        self._inner = inner

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = contextvars.copy_context()
        return self._inner.submit(context.run, fn, *args, **kwargs)  # type: ignore[arg-type]

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = dict(_CONTEXT.get({}))
    fields.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
    return fields


def _traceback(formatter: logging.Formatter, record: logging.LogRecord) -> list[str]:
    if not record.exc_info:
        return []
    lines = mask(formatter.formatException(record.exc_info)).splitlines()
    if len(lines) > TRACEBACK_LINES:
        left_out = f"… {len(lines) - TRACEBACK_LINES} lines left out …"
        lines = [lines[0], left_out, *lines[-TRACEBACK_LINES + 1 :]]
    return [line if len(line) <= LINE_CHARS else line[:LINE_CHARS] + " …" for line in lines]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        entry.update((k, _masked(v)) for k, v in _fields(record).items())
        traceback = _traceback(self, record)
        if traceback:
            entry["traceback"] = traceback
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """``12:00:01 INFO  dealcoach: message  key=value …`` and the traceback below it."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = " ".join(f"{k}={_masked(v)}" for k, v in _fields(record).items())
        line = f"{when} {record.levelname:<7} {record.name}: {mask(record.getMessage())}"
        line = f"{line}  {fields}" if fields else line
        traceback = _traceback(self, record)
        return "\n".join([line, *("    " + t for t in traceback)])


def _masked(value: Any) -> Any:
    return mask(value) if isinstance(value, str) else value


class _DropBoltNoise(logging.Filter):
    """Bolt reads ``SLACK_BOT_TOKEN`` itself and, given our client (made from that same
    token, with retries), warns at every start that the token goes unused. Nothing is
    wrong, so an operator is not shown it."""

    NOISE = frozenset({"As you gave `client` as well, `token` will be unused."})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.NOISE


_DROP_BOLT_NOISE = _DropBoltNoise()


def configure(level: str = "INFO", log_format: str = "auto") -> None:
    """Log to stderr: text on a terminal (or ``text``), JSON otherwise (or ``json``).
    Libraries stay at WARNING unless DEBUG is asked."""
    handler = logging.StreamHandler(sys.stderr)
    text = log_format == "text" or (log_format == "auto" and sys.stderr.isatty())
    handler.setFormatter(TextFormatter() if text else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("slack_bolt", "slack_sdk", "apscheduler", "waitress", "sqlalchemy", "alembic"):
        logging.getLogger(name).setLevel(quiet)
    logging.getLogger("dealcoach.bolt").addFilter(_DROP_BOLT_NOISE)
