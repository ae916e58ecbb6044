"""Salesforce as the CRM, on ``simple-salesforce``: Opportunities read with SOQL.

- Sign-in: a session id and instance URL (from a connected app), or username, password and
  security token (the client signs in with SOAP and renews an expired session itself).
- Changes: ``query``/``query_more`` over Opportunity ordered by ``SystemModstamp``; the
  owner's email comes in the same query (``Owner.Email``). Deletions: the ``getDeleted``
  resource (``sobjects/Opportunity/deleted``), which covers the last 30 days.
- Write-back: a completed Task (``WhatId``) or a Note (``ParentId``) on the Opportunity.
- Faults: ``REQUEST_LIMIT_EXCEEDED`` is retried with backoff; an invalid session, failed
  sign-in or refused access raise :class:`CrmAuthError`.

``api_url`` sends every request to a plain-HTTP stand-in (the client itself always builds
``https://`` URLs); leave it unset against Salesforce.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from simple_salesforce.api import Salesforce, SFType
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)
from simple_salesforce.format import format_soql

from bot.crm.common import StageRules, parse_amount, parse_date, parse_timestamp, utc
from bot.crm.config import CrmConfig, SalesforceWriteAs
from bot.crm.model import (
    CrmAuthError,
    CrmDeal,
    CrmError,
    CrmWrite,
    DealPage,
    DealStatus,
    DeletedDeal,
)
from bot.crm.retry import Backoff, RateLimited, Sleep

API_VERSION = "59.0"
#: Salesforce keeps deleted records for getDeleted this long.
DELETED_WINDOW = timedelta(days=29)


class _PlainHttp(HTTPAdapter):
    """Sends the client's ``https://`` requests to a plain-HTTP stand-in at ``target``."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self._target = urlsplit(target)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        url = urlsplit(request.url or "")
        request.url = urlunsplit(
            (self._target.scheme, self._target.netloc, url.path, url.query, url.fragment)
        )
        return super().send(request, *args, **kwargs)


def _soql_time(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sobject(sf: Salesforce, name: str) -> SFType:
    """``sf.Opportunity`` and friends, typed."""
    return cast(SFType, getattr(sf, name))


def _error_code(exc: SalesforceError) -> str:
    content = exc.content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode") or "")
    return ""


class SalesforceCrm:
    """:class:`~bot.crm.interface.Crm` over Salesforce Opportunities."""

    vendor = "salesforce"

    def __init__(
        self,
        *,
        config: CrmConfig,
        username: str | None = None,
        password: str | None = None,
        security_token: str | None = None,
        domain: str = "login",
        session_id: str | None = None,
        instance_url: str | None = None,
        api_url: str | None = None,
        version: str = API_VERSION,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._config = config
        self._fields = config.resolved_fields()
        self._stages = StageRules(config)
        self._backoff = Backoff(
            vendor=self.vendor,
            max_attempts=config.max_attempts,
            max_wait=config.max_wait_seconds,
            sleep=sleep,
        )
        session = requests.Session()
        if api_url:
            session.mount("https://", _PlainHttp(api_url))
            instance_url = instance_url or api_url
        if session_id:
            self._sign_in: dict[str, Any] = {"session_id": session_id, "instance_url": instance_url}
        elif username and password:
            self._sign_in = {
                "username": username,
                "password": password,
                "security_token": security_token or "",
                "domain": domain,
            }
        else:
            raise CrmAuthError(self.vendor, "no session id and no username/password configured")
        self._sign_in.update(session=session, version=version)
        self._client: Salesforce | None = None
        self._owner_emails: dict[str, str | None] = {}
        fields = self._fields
        names = [fields.name, fields.stage, fields.amount, fields.close_date, fields.owner]
        if fields.currency:
            names.append(fields.currency)
        if fields.territory:
            names.append(fields.territory)
        self._select = ", ".join(
            dict.fromkeys(["Id", *names, "Owner.Email", "IsClosed", "IsWon", "SystemModstamp"])
        )

    # -- calls ------------------------------------------------------------------------

    def _sf(self) -> Salesforce:
        if self._client is None:
            self._client = Salesforce(**self._sign_in)
        return self._client

    def _call(self, call: Callable[[Salesforce], Any], *, missing_ok: bool = False) -> Any:
        def attempt() -> Any:
            try:
                return call(self._sf())
            except SalesforceAuthenticationFailed as exc:
                raise CrmAuthError(self.vendor, f"sign-in failed: {exc.code}") from None
            except SalesforceExpiredSession as exc:
                raise CrmAuthError(self.vendor, _error_code(exc) or "session expired") from None
            except SalesforceRefusedRequest as exc:
                code = _error_code(exc)
                if code == "REQUEST_LIMIT_EXCEEDED":
                    raise RateLimited() from exc
                raise CrmAuthError(self.vendor, code or "access refused") from None
            except SalesforceResourceNotFound:
                if missing_ok:
                    return None
                raise CrmError("Salesforce: no such record") from None
            except SalesforceError as exc:
                raise CrmError(f"Salesforce answered {exc.status}: {_error_code(exc)}") from None
            except requests.RequestException as exc:
                raise CrmError(f"Salesforce could not be reached: {type(exc).__name__}") from None

        return self._backoff.call(attempt)

    # -- reading deals ----------------------------------------------------------------

    def _deal(self, record: dict[str, Any]) -> CrmDeal:
        fields = self._fields
        stage = str(record.get(fields.stage) or "")
        status = self._stages.status(stage)
        if status is DealStatus.OPEN and record.get("IsClosed"):
            status = DealStatus.WON if record.get("IsWon") else DealStatus.LOST
        owner_id = record.get(fields.owner) or None
        owner = record.get("Owner") or {}
        if owner_id and isinstance(owner, dict) and "Email" in owner:
            self._owner_emails[owner_id] = owner["Email"]
        instance = self._client.sf_instance if self._client else None
        return CrmDeal(
            crm_id=str(record["Id"]),
            name=str(record.get(fields.name) or f"Opportunity {record['Id']}"),
            stage=stage,
            status=status,
            updated_at=parse_timestamp(str(record["SystemModstamp"])),
            owner_id=owner_id,
            owner_email=self._owner_emails.get(owner_id) if owner_id else None,
            amount=parse_amount(record.get(fields.amount)),
            currency=(record.get(fields.currency) if fields.currency else None)
            or self._config.default_currency,
            close_date=parse_date(record.get(fields.close_date)),
            territory=(str(record.get(fields.territory) or "") or None)
            if fields.territory
            else None,
            url=f"https://{instance}/lightning/r/Opportunity/{record['Id']}/view"
            if instance
            else None,
        )

    def _query(self, soql: str) -> Any:
        size = max(200, self._config.page_size)
        headers = {"Sforce-Query-Options": f"batchSize={size}"}
        return self._call(lambda sf: sf.query(soql, headers=headers))

    def _opportunities(self, condition: str, *args: object) -> Any:
        """Query Opportunities; field names come from config, values are escaped by
        ``format_soql`` (``{}``, or ``{:like}`` inside a LIKE pattern)."""
        soql = f"SELECT {self._select} FROM Opportunity {condition.strip()}"  # noqa: S608
        return self._query(format_soql(soql, *args) if args else soql)

    def _query_more(self, next_records_url: str) -> Any:
        return self._call(lambda sf: sf.query_more(next_records_url, True))

    def changed_since(self, since: datetime | None) -> Iterator[DealPage]:
        # SOQL datetimes are whole seconds: ">=" the cursor's second, so a change later in
        # that same second is not missed; the sync's upsert by CRM id makes a repeat harmless.
        where = f"WHERE SystemModstamp >= {_soql_time(since)}" if since else ""
        page = self._opportunities(f"{where} ORDER BY SystemModstamp, Id")
        while True:
            deals = tuple(self._deal(record) for record in page["records"])
            if deals:
                yield DealPage(deals=deals)
            if page.get("done", True) or not page.get("nextRecordsUrl"):
                break
            page = self._query_more(str(page["nextRecordsUrl"]))
        if since is not None:
            yield from self._deleted_since(since)

    def _deleted_since(self, since: datetime) -> Iterator[DealPage]:
        end = datetime.now(UTC)
        start = max(utc(since), end - DELETED_WINDOW)
        answer = self._call(lambda sf: _sobject(sf, "Opportunity").deleted(start, end))
        gone = tuple(
            DeletedDeal(crm_id=str(item["id"]), deleted_at=parse_timestamp(item["deletedDate"]))
            for item in answer.get("deletedRecords") or []
        )
        if gone:
            yield DealPage(deleted=gone)

    def get_deal(self, crm_id: str) -> CrmDeal | None:
        records = self._opportunities("WHERE Id = {}", crm_id)["records"]
        return self._deal(records[0]) if records else None

    def search_deals(self, name: str, *, limit: int = 10) -> list[CrmDeal]:
        if not name.strip():
            return []
        name_field, limit = self._fields.name, int(limit)
        answer = self._opportunities(
            f"WHERE {name_field} LIKE '%{{:like}}%' ORDER BY {name_field} LIMIT {limit}",
            name.strip(),
        )
        return [self._deal(record) for record in answer["records"]]

    def owner_email(self, owner_id: str) -> str | None:
        if owner_id not in self._owner_emails:
            soql = format_soql("SELECT Id, Email FROM User WHERE Id = {}", owner_id)
            records = self._query(soql)["records"]
            self._owner_emails[owner_id] = records[0].get("Email") if records else None
        return self._owner_emails[owner_id]

    # -- writing back -----------------------------------------------------------------

    def write(self, write: CrmWrite) -> str:
        if self._config.salesforce_write_as is SalesforceWriteAs.NOTE:
            record = {"ParentId": write.deal_crm_id, "Title": write.title[:80], "Body": write.body}
            created = self._call(lambda sf: _sobject(sf, "Note").create(record))
        else:
            task: dict[str, Any] = {
                "WhatId": write.deal_crm_id,
                "Subject": write.title[:255],
                "Description": write.body,
                "Status": "Completed",
                "ActivityDate": utc(write.written_at).date().isoformat(),
            }
            if write.owner_id:
                task["OwnerId"] = write.owner_id
            created = self._call(lambda sf: _sobject(sf, "Task").create(task))
        return str(created["id"])
