"""HubSpot as the CRM, on HubSpot's own client (``hubspot-api-client``) and a private-app token.

- Changes: the deals search API, filtered on ``hs_lastmodifieddate`` and sorted by it,
  paged with ``after``. HubSpot's search stops at 10,000 results per query, so a longer
  listing starts a new query from the last modification time it reached.
- Deletions: archived deals (``GET /crm/v3/objects/deals?archived=true``), by ``archivedAt``.
- Owners: the owners API, cached per adapter.
- Write-back: a note (or task) associated with the deal in the same create call.
- Faults: 429 is retried with backoff, honouring ``Retry-After`` or the
  ``X-HubSpot-RateLimit-*`` window; 401/403 raise :class:`CrmAuthError`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from html import escape
from typing import Any

from hubspot import HubSpot
from hubspot.crm.deals import ApiException as DealsApiException
from hubspot.crm.objects.notes import ApiException as NotesApiException
from hubspot.crm.objects.tasks import ApiException as TasksApiException
from hubspot.crm.owners import ApiException as OwnersApiException

from bot.crm.common import StageRules, parse_amount, parse_date, parse_timestamp, utc
from bot.crm.config import CrmConfig
from bot.crm.model import (
    CrmAuthError,
    CrmDeal,
    CrmError,
    CrmWrite,
    DealPage,
    DeletedDeal,
    WriteKind,
)
from bot.crm.retry import Backoff, RateLimited, Sleep

API_URL = "https://api.hubapi.com"
#: HubSpot's search API answers at most this many results for one query.
SEARCH_LIMIT = 10_000
MODIFIED = "hs_lastmodifieddate"
#: HubSpot-defined association types: note → deal and task → deal.
NOTE_TO_DEAL = 214
TASK_TO_DEAL = 216
#: HubSpot allows at most this many filters in one filter group.
MAX_FILTERS = 6

_API_ERRORS = (DealsApiException, OwnersApiException, NotesApiException, TasksApiException)


def _millis(moment: datetime) -> str:
    return str(int(utc(moment).timestamp() * 1000))


def _rate_limit_wait(headers: Any) -> float | None:
    """The wait HubSpot asks for: ``Retry-After``, or its rate-limit window when spent."""
    if not headers:
        return None
    retry_after = headers.get("Retry-After")
    if retry_after and retry_after.strip().isdigit():
        return float(retry_after)
    remaining = headers.get("X-HubSpot-RateLimit-Remaining")
    interval = headers.get("X-HubSpot-RateLimit-Interval-Milliseconds")
    if remaining == "0" and interval and interval.isdigit():
        return int(interval) / 1000
    return None


def _reason(body: object) -> str:
    """HubSpot's ``category: message`` from an error body, without echoing any token."""
    try:
        data = json.loads(body) if isinstance(body, str | bytes) else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        return "no reason given"
    category = data.get("category") or "error"
    message = str(data.get("message") or "no reason given").split(". ")[0]
    return f"{category}: {message}"


class HubSpotCrm:
    """:class:`~bot.crm.interface.Crm` over HubSpot."""

    vendor = "hubspot"

    def __init__(
        self,
        *,
        access_token: str,
        config: CrmConfig,
        api_url: str = API_URL,
        sleep: Sleep = time.sleep,
        search_limit: int = SEARCH_LIMIT,
    ) -> None:
        self._search_limit = search_limit
        client = HubSpot(access_token=access_token, host=api_url.rstrip("/"))
        self._deals = client.crm.deals.basic_api
        self._search = client.crm.deals.search_api
        self._owners = client.crm.owners.owners_api
        self._notes = client.crm.objects.notes.basic_api
        self._tasks = client.crm.objects.tasks.basic_api
        self._config = config
        self._fields = config.resolved_fields()
        self._stages = StageRules(config)
        self._backoff = Backoff(
            vendor=self.vendor,
            max_attempts=config.max_attempts,
            max_wait=config.max_wait_seconds,
            sleep=sleep,
        )
        self._owner_emails: dict[str, str | None] = {}
        fields = self._fields
        self._properties = sorted(
            {fields.name, fields.stage, fields.amount, fields.close_date, fields.owner, MODIFIED}
            | ({fields.currency} if fields.currency else set())
            | ({fields.territory} if fields.territory else set())
        )

    # -- calls ------------------------------------------------------------------------

    def _call(self, call: Callable[[], Any], *, missing_ok: bool = False) -> Any:
        def attempt() -> Any:
            try:
                return call()
            except _API_ERRORS as exc:
                status = int(exc.status or 0)
                if status == 429:
                    raise RateLimited(_rate_limit_wait(exc.headers)) from exc
                if status in (401, 403):
                    raise CrmAuthError(self.vendor, _reason(exc.body)) from None
                if status == 404 and missing_ok:
                    return None
                raise CrmError(f"HubSpot answered {status}: {_reason(exc.body)}") from None

        return self._backoff.call(attempt)

    # -- reading deals ----------------------------------------------------------------

    def _json(self, call: Callable[..., Any], *, missing_ok: bool = False, **kwargs: Any) -> Any:
        """Call with ``_preload_content=False`` and read the JSON ourselves: the client's
        model deserialisation (dateutil per timestamp) costs ~10x the request itself."""

        def fetch() -> Any:
            response = call(_preload_content=False, **kwargs)
            return json.loads(response.data)

        return self._call(fetch, missing_ok=missing_ok)

    def _deal(self, record: dict[str, Any]) -> CrmDeal:
        properties: dict[str, str | None] = record.get("properties") or {}
        deal_id = str(record["id"])
        fields = self._fields
        stage = properties.get(fields.stage) or ""
        owner_id = properties.get(fields.owner) or None
        portal = self._config.hubspot_portal_id
        return CrmDeal(
            crm_id=deal_id,
            name=properties.get(fields.name) or f"HubSpot deal {deal_id}",
            stage=stage,
            status=self._stages.status(stage),
            updated_at=parse_timestamp(str(record["updatedAt"])),
            owner_id=owner_id,
            owner_email=self.owner_email(owner_id) if owner_id else None,
            amount=parse_amount(properties.get(fields.amount)),
            currency=(properties.get(fields.currency) if fields.currency else None)
            or self._config.default_currency,
            close_date=parse_date(properties.get(fields.close_date)),
            territory=(properties.get(fields.territory) if fields.territory else None) or None,
            url=f"https://app.hubspot.com/contacts/{portal}/record/0-3/{deal_id}"
            if portal
            else None,
        )

    def _search_page(self, filters: list[dict[str, str]], after: str | None, limit: int) -> Any:
        request = {
            "filterGroups": [{"filters": filters}] if filters else [],
            "sorts": [{"propertyName": MODIFIED, "direction": "ASCENDING"}],
            "properties": self._properties,
            "limit": limit,
            "after": after,
        }
        return self._json(self._search.do_search, public_object_search_request=request)

    def changed_since(self, since: datetime | None) -> Iterator[DealPage]:
        limit = self._config.page_size
        window: tuple[str, str] | None = ("GT", _millis(since)) if since else None
        edge_ids: set[str] = set()
        while True:
            filters = (
                [{"propertyName": MODIFIED, "operator": window[0], "value": window[1]}]
                if window
                else []
            )
            after: str | None = None
            restart: tuple[str, str] | None = None
            while True:
                page = self._search_page(filters, after, limit)
                deals = [self._deal(r) for r in page["results"] if str(r["id"]) not in edge_ids]
                if deals:
                    yield DealPage(deals=tuple(deals))
                    newest = _millis(deals[-1].updated_at)
                    if restart is None or newest != restart[1]:
                        edge_ids = set()
                    edge_ids.update(d.crm_id for d in deals if _millis(d.updated_at) == newest)
                    restart = ("GTE", newest)
                after = _next_after(page)
                if after is None:
                    break
                if int(after) + limit > self._search_limit:
                    break
            if after is None:
                break
            if restart is None or restart == window:
                raise CrmError("HubSpot: more than 10,000 deals share one modification time")
            window = restart
        if since is not None:
            yield from self._deleted_since(since)

    def _archived_page(self, after: str | None) -> Any:
        return self._json(
            self._deals.get_page,
            archived=True,
            limit=self._config.page_size,
            after=after,
            properties=["dealname"],
        )

    def _deleted_since(self, since: datetime) -> Iterator[DealPage]:
        after: str | None = None
        cutoff = utc(since)
        while True:
            page = self._archived_page(after)
            gone = tuple(
                DeletedDeal(crm_id=str(r["id"]), deleted_at=parse_timestamp(r["archivedAt"]))
                for r in page["results"]
                if r.get("archivedAt") and parse_timestamp(r["archivedAt"]) > cutoff
            )
            if gone:
                yield DealPage(deleted=gone)
            after = _next_after(page)
            if after is None:
                return

    def get_deal(self, crm_id: str) -> CrmDeal | None:
        record = self._json(
            self._deals.get_by_id, missing_ok=True, deal_id=crm_id, properties=self._properties
        )
        return None if record is None else self._deal(record)

    def search_deals(self, name: str, *, limit: int = 10) -> list[CrmDeal]:
        words = name.split()[:MAX_FILTERS]
        if not words:
            return []
        filters = [
            {"propertyName": self._fields.name, "operator": "CONTAINS_TOKEN", "value": f"*{w}*"}
            for w in words
        ]
        request = {
            "filterGroups": [{"filters": filters}],
            "properties": self._properties,
            "limit": min(limit, 200),
        }
        page = self._json(self._search.do_search, public_object_search_request=request)
        return [self._deal(record) for record in page["results"]]

    def owner_email(self, owner_id: str) -> str | None:
        if owner_id not in self._owner_emails:
            owner = self._call(
                lambda: self._owners.get_by_id(owner_id=owner_id, id_property="id"),
                missing_ok=True,
            )
            self._owner_emails[owner_id] = owner.email if owner is not None else None
        return self._owner_emails[owner_id]

    # -- writing back -----------------------------------------------------------------

    def write(self, write: CrmWrite) -> str:
        timestamp = utc(write.written_at).isoformat().replace("+00:00", "Z")
        if write.kind is WriteKind.TASK:
            api, association = self._tasks, TASK_TO_DEAL
            properties = {
                "hs_timestamp": timestamp,
                "hs_task_subject": write.title,
                "hs_task_body": write.body,
                "hs_task_status": "NOT_STARTED",
            }
            if write.owner_id:
                properties["hubspot_owner_id"] = write.owner_id
        else:
            api, association = self._notes, NOTE_TO_DEAL
            properties = {"hs_timestamp": timestamp, "hs_note_body": _note_html(write)}
        body = {
            "properties": properties,
            "associations": [
                {
                    "to": {"id": write.deal_crm_id},
                    "types": [
                        {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": association}
                    ],
                }
            ],
        }
        created = self._call(lambda: api.create(simple_public_object_input_for_create=body))
        return str(created.id)


def _next_after(page: dict[str, Any]) -> str | None:
    after = ((page.get("paging") or {}).get("next") or {}).get("after")
    return str(after) if after is not None else None


def _note_html(write: CrmWrite) -> str:
    """HubSpot shows a note's body as HTML: the title in bold, then the lines."""
    lines = "<br>".join(escape(line) for line in write.body.splitlines())
    return f"<strong>{escape(write.title)}</strong><br>{lines}"
