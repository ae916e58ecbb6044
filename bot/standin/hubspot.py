"""A local stand-in for the part of HubSpot's CRM API Deal Coach uses, over real HTTP.

Point :class:`bot.crm.hubspot.HubSpotCrm` (``api_url=standin.url``) at it. It answers the
requests ``hubspot-api-client`` sends, with bodies shaped as HubSpot's reference shows:

- ``POST /crm/v3/objects/deals/search``: ``filterGroups`` (≤ 5 groups OR'ed, ≤ 6 filters AND'ed;
  operators EQ, GT, GTE, LT, LTE, CONTAINS_TOKEN with ``*`` wildcards), ``sorts``,
  ``properties``, ``limit`` (≤ 200) and ``after``; answers ``total``, ``results``,
  ``paging.next.after``; a query paged past 10,000 results is a 400, as in HubSpot.
- ``GET /crm/v3/objects/deals/{id}`` and ``GET /crm/v3/objects/deals?archived=true``.
- ``GET /crm/v3/owners/{id}``.
- ``POST /crm/v3/objects/notes`` and ``/tasks`` with ``associations`` (recorded).
- Errors as ``{"status": "error", "message", "correlationId", "category"}``; 429 with
  ``X-HubSpot-RateLimit-*`` headers; 401 ``EXPIRED_AUTHENTICATION``/``INVALID_AUTHENTICATION``.

Reference pages followed: developers.hubspot.com/docs/api-reference/latest/crm/objects/
deals/search-deals, …/docs/api-reference/2026-03/crm/search-the-crm (filters, 10,000 cap,
200 per page), …/docs/api/crm/owners, …/docs/api/crm/notes (association type 214),
…/docs/api/crm/tasks (type 216), …/apps/api_guidelines and the 2018-11-06 changelog
"rate limit information headers" (X-HubSpot-RateLimit-* names).
"""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.standin.crm_http import CrmHttpServer, Request, json_answer
from bot.standin.httpd import Answer

SEARCH_CAP = 10_000
DEFAULT_TOKEN = "pat-na1-standin"  # noqa: S105 - made up, only the stand-in takes it
STAGES = ("appointmentscheduled", "qualifiedtobuy", "contractsent", "closedwon", "closedlost")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass
class HubSpotDeal:
    id: str
    properties: dict[str, str | None]
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None

    def as_json(self, names: list[str] | None) -> dict[str, Any]:
        wanted = names or ["dealname", "amount", "dealstage", "closedate", "pipeline"]
        props = {name: self.properties.get(name) for name in wanted}
        props.update(
            hs_object_id=self.id,
            createdate=iso(self.created_at),
            hs_lastmodifieddate=iso(self.updated_at),
        )
        answer: dict[str, Any] = {
            "id": self.id,
            "properties": props,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "archived": self.archived_at is not None,
        }
        if self.archived_at is not None:
            answer["archivedAt"] = iso(self.archived_at)
        return answer


@dataclass
class HubSpotOwner:
    id: str
    email: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class Engagement:
    """A note or task written to the stand-in."""

    kind: str
    id: str
    properties: dict[str, Any]
    deal_ids: list[str]
    association_type_ids: list[int] = field(default_factory=list)


@dataclass
class _Fault:
    path_prefix: str
    skip: int
    status: int
    category: str


class HubSpotStandIn:
    """HubSpot's CRM API on 127.0.0.1 and an ephemeral port. Use as a context manager."""

    def __init__(self, *, access_token: str = DEFAULT_TOKEN, search_cap: int = SEARCH_CAP) -> None:
        self.access_token = access_token
        #: HubSpot answers at most 10,000 results per search; tests may lower it.
        self.search_cap = search_cap
        self.lock = threading.Lock()
        self.deals: dict[str, HubSpotDeal] = {}
        self.owners: dict[str, HubSpotOwner] = {}
        self.notes: list[Engagement] = []
        self.tasks: list[Engagement] = []
        #: Every request as ``"METHOD /path"``, in order.
        self.requests: list[str] = []
        self.expired = False
        self._faults: list[_Fault] = []
        self._ids = itertools.count(1001)
        self._ordered: list[HubSpotDeal] | None = None
        self._server = CrmHttpServer(self)

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._server.url

    def __enter__(self) -> HubSpotStandIn:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()

    # -- seeding and faults -------------------------------------------------------------

    def add_owner(self, email: str, *, first_name: str = "", last_name: str = "") -> str:
        owner_id = str(next(self._ids))
        with self.lock:
            self.owners[owner_id] = HubSpotOwner(owner_id, email, first_name, last_name)
        return owner_id

    def seed(
        self,
        count: int,
        *,
        start: datetime,
        step: timedelta = timedelta(seconds=1),
        owner_ids: list[str] | None = None,
        stages: tuple[str, ...] = STAGES,
        name: str = "Deal",
    ) -> list[str]:
        """``count`` deals, modified ``step`` apart from ``start``; returns their ids."""
        ids = []
        with self.lock:
            for index in range(count):
                deal_id = str(next(self._ids))
                moment = start + step * index
                owner = owner_ids[index % len(owner_ids)] if owner_ids else None
                self.deals[deal_id] = HubSpotDeal(
                    id=deal_id,
                    properties={
                        "dealname": f"{name} {index + 1:05d}",
                        "amount": str(1000 * (index % 97 + 1)),
                        "dealstage": stages[index % len(stages)],
                        "closedate": iso(datetime(2027, 1 + index % 12, 15, tzinfo=UTC)),
                        "pipeline": "default",
                        "deal_currency_code": "EUR" if index % 5 == 0 else "USD",
                        "hubspot_owner_id": owner,
                    },
                    created_at=moment,
                    updated_at=moment,
                )
                ids.append(deal_id)
            self._ordered = None
        return ids

    def update(self, deal_id: str, at: datetime, **properties: str) -> None:
        with self.lock:
            deal = self.deals[deal_id]
            deal.properties.update(properties)
            deal.updated_at = at
            self._ordered = None

    def archive(self, deal_id: str, at: datetime) -> None:
        """Delete a deal, as HubSpot does: it moves to the archived list."""
        with self.lock:
            self.deals[deal_id].archived_at = at
            self._ordered = None

    def fail(
        self, path_prefix: str, *, after: int = 0, status: int = 429, category: str = ""
    ) -> None:
        """Answer the request to ``path_prefix`` that comes after ``after`` good ones with
        ``status`` once (429: rate limited; 401: the token was revoked)."""
        with self.lock:
            self._faults.append(_Fault(path_prefix, after, status, category))

    # -- answering ----------------------------------------------------------------------

    def answer(self, request: Request) -> Answer:
        with self.lock:
            self.requests.append(f"{request.method} {request.path}")
            refused = self._refuse(request)
            if refused is not None:
                return refused
            try:
                return self._route(request)
            except (KeyError, ValueError, TypeError) as exc:
                return _error(400, "VALIDATION_ERROR", f"Invalid input: {exc}")

    def _refuse(self, request: Request) -> Answer | None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.expired:
            return _error(
                401,
                "EXPIRED_AUTHENTICATION",
                "The OAuth token used to make this call expired 1 hour(s) ago.",
            )
        if token != self.access_token:
            return _error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.")
        for fault in self._faults:
            if request.path.startswith(fault.path_prefix):
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                self._faults.remove(fault)
                if fault.status == 429:
                    return _error(
                        429,
                        "RATE_LIMITS",
                        "You have reached your secondly limit.",
                        headers={
                            "X-HubSpot-RateLimit-Interval-Milliseconds": "1000",
                            "X-HubSpot-RateLimit-Max": "100",
                            "X-HubSpot-RateLimit-Remaining": "0",
                        },
                    )
                return _error(fault.status, fault.category or "INVALID_AUTHENTICATION", "Refused.")
        return None

    def _route(self, request: Request) -> Answer:
        path, method = request.path.rstrip("/"), request.method
        if method == "POST" and path == "/crm/v3/objects/deals/search":
            return self._search(request.json())
        if method == "GET" and path == "/crm/v3/objects/deals":
            return self._list_deals(request)
        if method == "GET" and path.startswith("/crm/v3/objects/deals/"):
            deal = self.deals.get(path.rsplit("/", 1)[1])
            if deal is None or deal.archived_at is not None:
                return _error(404, "OBJECT_NOT_FOUND", "Object not found.")
            return json_answer(deal.as_json(_names(request.query.get("properties"))))
        if method == "GET" and path.startswith("/crm/v3/owners/"):
            owner = self.owners.get(path.rsplit("/", 1)[1])
            if owner is None:
                return _error(404, "OBJECT_NOT_FOUND", "Owner not found.")
            return json_answer(_owner_json(owner))
        if method == "POST" and path in ("/crm/v3/objects/notes", "/crm/v3/objects/tasks"):
            return self._create_engagement(path.rsplit("/", 1)[1], request.json())
        return _error(404, "NOT_FOUND", f"No route for {method} {path}")

    def _sorted(self) -> list[HubSpotDeal]:
        if self._ordered is None:
            live = [deal for deal in self.deals.values() if deal.archived_at is None]
            self._ordered = sorted(live, key=lambda d: (d.updated_at, int(d.id)))
        return self._ordered

    def _search(self, body: dict[str, Any]) -> Answer:
        limit = int(body.get("limit") or 10)
        if limit > 200:
            return _error(400, "VALIDATION_ERROR", "limit must be at most 200")
        offset = int(body.get("after") or 0)
        if offset + limit > self.search_cap:
            return _error(400, "VALIDATION_ERROR", "Search results are capped at 10,000.")
        unknown = set(body) - {"filterGroups", "sorts", "properties", "limit", "after", "query"}
        if unknown:
            return _error(400, "VALIDATION_ERROR", f"Unrecognized field {sorted(unknown)[0]!r}")
        groups = body.get("filterGroups") or []
        if len(groups) > 5 or any(len(g.get("filters") or []) > 6 for g in groups):
            return _error(400, "VALIDATION_ERROR", "At most 5 filter groups of 6 filters each.")
        matches = [d for d in self._sorted() if not groups or any(_group(g, d) for g in groups)]
        for sort in reversed(body.get("sorts") or []):
            name = sort["propertyName"] if isinstance(sort, dict) else str(sort)
            descending = isinstance(sort, dict) and sort.get("direction") == "DESCENDING"
            if name != "hs_lastmodifieddate" or descending:

                def sort_key(deal: HubSpotDeal, name: str = name) -> str:
                    return _value(deal, name) or ""

                matches.sort(key=sort_key, reverse=descending)
        page = matches[offset : offset + limit]
        answer: dict[str, Any] = {
            "total": len(matches),
            "results": [deal.as_json(body.get("properties")) for deal in page],
        }
        if offset + limit < len(matches):
            answer["paging"] = {"next": {"after": str(offset + limit)}}
        return json_answer(answer)

    def _list_deals(self, request: Request) -> Answer:
        archived = (request.arg("archived") or "").lower() == "true"
        limit = int(request.arg("limit") or 10)
        offset = int(request.arg("after") or 0)
        deals = sorted(
            (d for d in self.deals.values() if (d.archived_at is not None) == archived),
            key=lambda d: int(d.id),
        )
        page = deals[offset : offset + limit]
        answer: dict[str, Any] = {
            "results": [d.as_json(_names(request.query.get("properties"))) for d in page]
        }
        if offset + limit < len(deals):
            answer["paging"] = {"next": {"after": str(offset + limit), "link": "?after="}}
        return json_answer(answer)

    def _create_engagement(self, kind: str, body: dict[str, Any]) -> Answer:
        properties = dict(body.get("properties") or {})
        if "hs_timestamp" not in properties:
            return _error(400, "VALIDATION_ERROR", "Property hs_timestamp is required.")
        deal_ids, type_ids = [], []
        for association in body.get("associations") or []:
            deal_id = str(association["to"]["id"])
            if deal_id not in self.deals:
                return _error(400, "VALIDATION_ERROR", f"No deal with id {deal_id}")
            deal_ids.append(deal_id)
            type_ids += [int(t["associationTypeId"]) for t in association["types"]]
        engagement = Engagement(kind, str(next(self._ids)), properties, deal_ids, type_ids)
        (self.notes if kind == "notes" else self.tasks).append(engagement)
        now = iso(datetime.now(UTC))
        return json_answer(
            {
                "id": engagement.id,
                "properties": properties,
                "createdAt": now,
                "updatedAt": now,
                "archived": False,
            },
            status=201,
        )


def _names(values: list[str] | None) -> list[str] | None:
    """``?properties=a,b`` or ``?properties=a&properties=b``, as the client sends them."""
    names = [name for value in values or [] for name in value.split(",") if name]
    return names or None


def _value(deal: HubSpotDeal, name: str) -> str | None:
    if name == "hs_lastmodifieddate":
        return str(_millis(deal.updated_at))
    if name == "hs_object_id":
        return deal.id
    return deal.properties.get(name)


def _group(group: dict[str, Any], deal: HubSpotDeal) -> bool:
    return all(_filter(f, deal) for f in group.get("filters") or [])


def _filter(spec: dict[str, Any], deal: HubSpotDeal) -> bool:
    value = _value(deal, spec["propertyName"])
    operator, wanted = spec["operator"], str(spec.get("value", ""))
    if operator == "CONTAINS_TOKEN":
        return wanted.strip("*").casefold() in (value or "").casefold()
    if operator == "EQ":
        return value == wanted
    if value is None:
        return False
    left: float | str = value
    right: float | str = wanted
    if spec["propertyName"] in ("hs_lastmodifieddate", "amount"):
        left, right = float(value), float(wanted)
    comparisons = {
        "GT": left > right,  # type: ignore[operator]
        "GTE": left >= right,  # type: ignore[operator]
        "LT": left < right,  # type: ignore[operator]
        "LTE": left <= right,  # type: ignore[operator]
    }
    return comparisons[operator]


def _owner_json(owner: HubSpotOwner) -> dict[str, Any]:
    now = iso(datetime(2026, 1, 1, tzinfo=UTC))
    return {
        "id": owner.id,
        "email": owner.email,
        "type": "PERSON",
        "firstName": owner.first_name,
        "lastName": owner.last_name,
        "userId": int(owner.id) + 9000,
        "createdAt": now,
        "updatedAt": now,
        "archived": False,
    }


def _error(
    status: int, category: str, message: str, headers: dict[str, str] | None = None
) -> Answer:
    body = {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
    }
    return json_answer(body, status=status, headers=headers)
