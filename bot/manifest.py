"""The Slack app manifest: ``config/manifest.yaml`` filled in for one deployment.

``dealcoach manifest --url https://dealcoach.example.com`` prints the manifest with
every request URL pointing at that server; paste it into "Create New App → From an
app manifest" at https://api.slack.com/apps. In Socket Mode the URLs are left out,
because Slack then sends everything over the socket.

Limits checked here are the ones Slack documents in its manifest reference
(https://api.slack.com/reference/manifests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.config.files import ConfigError, ConfigProblem, read_yaml

MANIFEST_FILE = "manifest.yaml"

#: The one path Bolt serves for commands, events and interactivity.
EVENTS_PATH = "/slack/events"
#: Where Slack sends people back after they approve an install (Bolt's default).
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"

#: Bot scopes Deal Coach cannot work without, and what each is for.
REQUIRED_BOT_SCOPES: dict[str, str] = {
    "commands": "receive /handoff",
    "chat:write": "send DMs, confirmations and thread updates",
    "im:write": "open a DM with a rep or an SE",
    "users:read": "read each person's time zone and out-of-office status",
    "im:history": "check a DM for a nudge already sent before resending it after a crash",
    "channels:history": "check a card's thread for a nudge already sent after a crash",
    "groups:history": "the same in a private channel",
    "files:write": "share the weekly report's chart into a manager's DM",
}

#: Maximum lengths, in characters, from Slack's manifest reference.
MAX_LENGTHS: dict[str, int] = {
    "display_information.name": 35,
    "display_information.description": 140,
    "display_information.long_description": 4000,
    "features.bot_user.display_name": 80,
    "command": 32,
    "command.description": 2000,
    "command.usage_hint": 1000,
}


def build_manifest(
    config_dir: Path, *, base_url: str | None, socket_mode: bool = False
) -> dict[str, Any]:
    """Load ``manifest.yaml`` and point it at one deployment.

    With ``base_url`` (``https://…``) every slash command URL, both request URLs and the
    options load URL (``message_menu_options_url``) become ``{base_url}/slack/events``.
    With ``socket_mode=True`` those URLs are removed and ``settings.socket_mode_enabled``
    is set. With neither, the template comes back as it is, placeholders included.

    For example, ``build_manifest(Path("config"), base_url="https://deals.example.com/")``
    gives ``https://deals.example.com/slack/events`` for every request URL.

    Raises :class:`ValueError` for a base URL that is not ``https://`` (or when both
    a base URL and Socket Mode are asked for), and :class:`bot.config.ConfigError`
    when the file is missing or fails :func:`check_manifest`.
    """
    if base_url is not None and socket_mode:
        raise ValueError(
            "choose a base URL or Socket Mode, not both: in Socket Mode Slack sends "
            "nothing to a request URL"
        )
    events_url = f"{_base_url(base_url)}{EVENTS_PATH}" if base_url is not None else None

    path = config_dir / MANIFEST_FILE
    data, problems = read_yaml(path)
    if not problems:
        problems = _check(data, str(path))
    if problems:
        raise ConfigError(problems)
    manifest: dict[str, Any] = data

    for holder, key in _url_slots(manifest):
        if socket_mode:
            holder.pop(key, None)
        elif events_url is not None:
            holder[key] = events_url
    if socket_mode:
        manifest.setdefault("settings", {})["socket_mode_enabled"] = True
    elif base_url is not None:
        # For installs into many workspaces (SLACK_CLIENT_ID): Slack's OAuth redirect.
        manifest.setdefault("oauth_config", {})["redirect_urls"] = [
            f"{_base_url(base_url)}{OAUTH_REDIRECT_PATH}"
        ]
    return manifest


class _ManifestDumper(yaml.SafeDumper):
    """Writes multi-line strings as ``|`` blocks so the pasted manifest stays readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ManifestDumper.add_representer(str, _represent_str)


def render_manifest(manifest: dict[str, Any]) -> str:
    """The manifest as YAML, keys in the template's order, ready to paste into Slack."""
    return yaml.dump(
        manifest,
        Dumper=_ManifestDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )


def check_manifest(config_dir: Path) -> list[ConfigProblem]:
    """Problems in ``manifest.yaml`` (file, field, problem); an empty list means all is well."""
    path = config_dir / MANIFEST_FILE
    data, problems = read_yaml(path)
    if problems:
        return problems
    return _check(data, str(path))


def _base_url(base_url: str) -> str:
    """``https://host[/prefix]`` without a trailing slash (or a pasted ``/slack/events``)."""
    parts = urlsplit(base_url.strip())
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(
            f"the base URL must start with https:// (Slack only calls https addresses), "
            f"such as https://dealcoach.example.com; got {base_url!r}"
        )
    if parts.query or parts.fragment:
        raise ValueError(
            f"the base URL must be the server's address without ?query or #fragment, "
            f"such as https://dealcoach.example.com; got {base_url!r}"
        )
    prefix = parts.path.rstrip("/").removesuffix(EVENTS_PATH).rstrip("/")
    return f"https://{parts.netloc}{prefix}"


def _url_slots(manifest: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Every (mapping, key) where the manifest holds a URL Slack sends requests to."""
    slots: list[tuple[dict[str, Any], str]] = []
    features = manifest.get("features")
    if isinstance(features, dict):
        for command in features.get("slash_commands") or []:
            if isinstance(command, dict):
                slots.append((command, "url"))
    settings = manifest.get("settings")
    if isinstance(settings, dict):
        for section in ("event_subscriptions", "interactivity"):
            if isinstance(settings.get(section), dict):
                slots.append((settings[section], "request_url"))
        if isinstance(settings.get("interactivity"), dict):
            # Options for external_select menus (the deal typeahead) come from here.
            slots.append((settings["interactivity"], "message_menu_options_url"))
    return slots


@dataclass
class _Report:
    """Collects the problems found in one manifest file."""

    file: str
    problems: list[ConfigProblem] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append(ConfigProblem(self.file, where, message))

    def length(self, where: str, value: Any, limit_key: str) -> None:
        limit = MAX_LENGTHS[limit_key]
        if isinstance(value, str) and len(value) > limit:
            self.add(where, f"is {len(value)} characters long; Slack allows at most {limit}")

    def https(self, where: str, url: Any) -> None:
        if url is not None and not str(url).startswith("https://"):
            self.add(where, "must be an https:// URL")


def _check(data: Any, file: str) -> list[ConfigProblem]:
    report = _Report(file)
    if not isinstance(data, dict):
        report.add(
            "(top level)",
            "must be a mapping with display_information, features, oauth_config and settings",
        )
        return report.problems

    display = data.get("display_information")
    if not isinstance(display, dict):
        report.add("display_information", "is missing: Slack needs at least the app's name")
        display = {}
    name = display.get("name")
    if not isinstance(name, str) or not name.strip():
        report.add("display_information.name", "is missing: Slack needs a name for the app")
    for key in ("name", "description", "long_description"):
        where = f"display_information.{key}"
        report.length(where, display.get(key), where)

    features = data.get("features")
    features = features if isinstance(features, dict) else {}
    bot_user = features.get("bot_user")
    if not isinstance(bot_user, dict) or not bot_user.get("display_name"):
        report.add(
            "features.bot_user.display_name",
            "is missing: Deal Coach needs a bot user to send direct messages",
        )
    else:
        where = "features.bot_user.display_name"
        report.length(where, bot_user["display_name"], where)

    commands = features.get("slash_commands") or []
    if not isinstance(commands, list):
        report.add("features.slash_commands", "must be a list of commands")
        commands = []
    for index, command in enumerate(commands):
        _check_command(report, f"features.slash_commands[{index}]", command)

    settings = data.get("settings")
    settings = settings if isinstance(settings, dict) else {}
    for section in ("event_subscriptions", "interactivity"):
        holder = settings.get(section)
        if isinstance(holder, dict):
            report.https(f"settings.{section}.request_url", holder.get("request_url"))
    interactivity = settings.get("interactivity")
    if isinstance(interactivity, dict) and "message_menu_options_url" in interactivity:
        report.https(
            "settings.interactivity.message_menu_options_url",
            interactivity.get("message_menu_options_url"),
        )

    _check_scopes(report, data.get("oauth_config"))
    return report.problems


def _check_command(report: _Report, where: str, command: Any) -> None:
    if not isinstance(command, dict):
        report.add(where, "must be a mapping with command, description and should_escape")
        return
    name = command.get("command")
    if not isinstance(name, str) or not name.startswith("/"):
        report.add(f"{where}.command", "must be the command with its leading /, such as /handoff")
    report.length(f"{where}.command", name, "command")
    description = command.get("description")
    if not description:
        report.add(f"{where}.description", "is missing: Slack shows it in the command menu")
    report.length(f"{where}.description", description, "command.description")
    report.length(f"{where}.usage_hint", command.get("usage_hint"), "command.usage_hint")
    if command.get("should_escape") is not True:
        report.add(
            f"{where}.should_escape",
            "must be true, so Slack sends an @mention as a user id (<@U…>) Deal Coach can use",
        )
    report.https(f"{where}.url", command.get("url"))


def _check_scopes(report: _Report, oauth: Any) -> None:
    scopes = oauth.get("scopes") if isinstance(oauth, dict) else None
    bot_scopes = scopes.get("bot") if isinstance(scopes, dict) else None
    if not isinstance(bot_scopes, list):
        report.add("oauth_config.scopes.bot", "is missing: list the bot scopes Deal Coach needs")
        bot_scopes = []
    for scope, purpose in REQUIRED_BOT_SCOPES.items():
        if scope not in bot_scopes:
            report.add(
                "oauth_config.scopes.bot", f"lacks {scope}, which Deal Coach needs to {purpose}"
            )
