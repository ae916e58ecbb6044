"""Slack's own description of its Web API methods, used to check every call the bot makes.

The method files live beside this module in ``api_ref/`` (vendored, unmodified, from
slack-ruby/slack-api-ref). A call is wrong when its method is unknown, when it passes an
argument the method does not take, or when it leaves out a required one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeAlias

#: Arguments every call may carry: Bolt adds ``team_id``, the token may travel in the body.
ALWAYS_ALLOWED = frozenset({"token", "team_id"})

#: Where method descriptions may be read from: a folder path or a package resource.
Directory: TypeAlias = Traversable | str | os.PathLike[str]


@dataclass(frozen=True)
class MethodSpec:
    """What one Web API method accepts."""

    name: str
    arguments: frozenset[str]
    required: frozenset[str]
    json_input: bool
    errors: frozenset[str]
    raw: Mapping[str, Any]


def _parse_spec(name: str, data: Mapping[str, Any]) -> MethodSpec:
    args = data.get("args") or {}
    properties = args.get("properties") or {}
    errors = data.get("errors") or {}
    return MethodSpec(
        name=name,
        arguments=frozenset(properties),
        required=frozenset(args.get("required") or ()),
        json_input=bool(data.get("json_input_supported")),
        errors=frozenset(errors) if isinstance(errors, Mapping) else frozenset(),
        raw=data,
    )


def default_directory() -> Traversable:
    """The vendored method files shipped with the package."""
    return files(__package__ or "bot.standin") / "api_ref"


def load_specs(directory: Directory | None = None) -> dict[str, MethodSpec]:
    """Every ``<method>.json`` in ``directory`` (default: the vendored copy), by method name."""
    folder: Traversable
    if directory is None:
        folder = default_directory()
    elif isinstance(directory, str | os.PathLike):
        folder = Path(directory)
    else:
        folder = directory
    specs: dict[str, MethodSpec] = {}
    for entry in folder.iterdir():
        if entry.is_file() and entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "args" in data:  # skips an index such as methods.json
                name = entry.name.removesuffix(".json")
                specs[name] = _parse_spec(name, data)
    if not specs:
        raise FileNotFoundError(f"no Slack method descriptions in {folder}")
    return specs


class ApiReference:
    """The methods of one reference directory, and the check of a call against them."""

    def __init__(self, directory: Directory | None = None) -> None:
        self._specs = load_specs(directory)

    @property
    def methods(self) -> Mapping[str, MethodSpec]:
        return self._specs

    def knows(self, method: str) -> bool:
        return method in self._specs

    def spec(self, method: str) -> MethodSpec | None:
        return self._specs.get(method)

    def check_call(
        self,
        method: str,
        args: Mapping[str, Any],
        *,
        bearer_token: bool = False,
        json_body: bool = False,
    ) -> list[str]:
        """What is wrong with this call, in Slack's ``[ERROR] ...`` wording; empty when fine.

        ``bearer_token``: the token came as an ``Authorization: Bearer`` header.
        ``json_body``: the arguments came as a JSON body (not every method reads one).
        """
        spec = self._specs.get(method)
        if spec is None:
            return [f"[ERROR] unknown method: {method}"]
        problems: list[str] = []
        if json_body and not spec.json_input:
            problems.append(f"[ERROR] {method} does not accept a JSON body; send a form body")
        for name in sorted(args):
            if name not in spec.arguments and name not in ALWAYS_ALLOWED:
                problems.append(f"[ERROR] unknown argument: {name}")
        present = set(args)
        if bearer_token:
            present.add("token")
        for name in sorted(spec.required - present):
            problems.append(f"[ERROR] missing required field: {name}")
        return problems


@lru_cache(maxsize=1)
def default_reference() -> ApiReference:
    return ApiReference()


def check_call(
    method: str,
    args: Mapping[str, Any],
    *,
    bearer_token: bool = False,
    json_body: bool = False,
) -> list[str]:
    """Check a call against the vendored reference; see :meth:`ApiReference.check_call`."""
    return default_reference().check_call(
        method, args, bearer_token=bearer_token, json_body=json_body
    )
