"""views.open, views.push, views.update and views.publish."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from bot.standin.arguments import USER_ID, ApiError, text_arg
from bot.standin.store import JsonDict, Store, StoredView
from bot.standin.validation import InvalidJson, check_view, decode_json_arg

#: Slack's documented shape of a trigger id: "132456.7890123.abcdef".
TRIGGER_ID = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")


class ViewMethods:
    """The views.* half of :class:`bot.standin.methods.WebApi`."""

    store: Store
    trigger_ttl: float | None

    def _view(self, args: Mapping[str, Any], allowed: tuple[str, ...]) -> JsonDict:
        try:
            view = decode_json_arg(args.get("view"))
        except InvalidJson as exc:
            raise ApiError(
                "invalid_arguments",
                "[ERROR] failed to match all allowed schemas [json-pointer:/view]",
                violation=True,
            ) from exc
        problems = check_view(view, allowed_types=allowed)
        if problems:
            raise ApiError("invalid_arguments", *problems, violation=True)
        return dict(view)

    def _spend_trigger(self, args: Mapping[str, Any]) -> str | None:
        trigger_id = text_arg(args, "trigger_id") or text_arg(args, "interactivity_pointer")
        if trigger_id is None:
            raise ApiError(
                "invalid_arguments", "[ERROR] missing required field: trigger_id", violation=True
            )
        if not TRIGGER_ID.match(trigger_id):
            raise ApiError("invalid_trigger_id")
        error, user_id = self.store.use_trigger(trigger_id, self.trigger_ttl)
        if error is not None:
            raise ApiError(error)
        return user_id

    def _store_view(
        self, view: JsonDict, *, existing: StoredView | None, user_id: str | None
    ) -> StoredView:
        external_id = str(view.get("external_id") or "")
        if external_id and self.store.external_id_taken(
            external_id, by_other_than=existing.id if existing else None
        ):
            raise ApiError("duplicate_external_id")
        view_id = existing.id if existing else self.store.next_id("V")
        payload: JsonDict = {
            "id": view_id,
            "team_id": self.store.workspace.team_id,
            "type": view["type"],
            "blocks": copy.deepcopy(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata") or "",
            "callback_id": view.get("callback_id") or "",
            "state": {"values": {}},
            "hash": self.store.view_hash(),
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close")),
            "notify_on_close": bool(view.get("notify_on_close")),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": existing.payload.get("previous_view_id") if existing else None,
            "root_view_id": existing.payload.get("root_view_id") if existing else view_id,
            "app_id": self.store.workspace.app_id,
            "external_id": external_id,
            "app_installed_team_id": self.store.workspace.team_id,
            "bot_id": self.store.workspace.bot_id,
        }
        stored = StoredView(
            id=view_id,
            type=str(view["type"]),
            user_id=existing.user_id if existing else user_id,
            hash=payload["hash"],
            payload=payload,
        )
        self.store.views[view_id] = stored
        return stored

    def views_open(self, args: JsonDict) -> JsonDict:
        view = self._view(args, ("modal",))
        user_id = self._spend_trigger(args)
        stored = self._store_view(view, existing=None, user_id=user_id)
        return {"view": copy.deepcopy(stored.payload)}

    def views_push(self, args: JsonDict) -> JsonDict:
        return self.views_open(args)

    def views_update(self, args: JsonDict) -> JsonDict:
        view_id, external_id = text_arg(args, "view_id"), text_arg(args, "external_id")
        if view_id is None and external_id is None:
            raise ApiError(
                "invalid_arguments",
                "[ERROR] either view_id or external_id is required",
                violation=True,
            )
        existing = self.store.view_by(view_id=view_id, external_id=external_id)
        view = self._view(args, (existing.type,) if existing else ("modal", "home"))
        if existing is None:
            raise ApiError("not_found")
        if text_arg(args, "hash") not in (None, existing.hash):
            raise ApiError("hash_conflict")
        stored = self._store_view(view, existing=existing, user_id=existing.user_id)
        return {"view": copy.deepcopy(stored.payload)}

    def views_publish(self, args: JsonDict) -> JsonDict:
        view = self._view(args, ("home",))
        user_id = text_arg(args, "user_id") or ""
        if not USER_ID.match(user_id):
            raise ApiError("user_not_found")
        existing = self.store.views.get(self.store.homes.get(user_id, ""))
        if existing is not None and text_arg(args, "hash") not in (None, existing.hash):
            raise ApiError("hash_conflict")
        stored = self._store_view(view, existing=existing, user_id=user_id)
        self.store.homes[user_id] = stored.id
        return {"view": copy.deepcopy(stored.payload)}
