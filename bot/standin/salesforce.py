"""A local stand-in for the part of Salesforce's APIs Deal Coach uses, over real HTTP.

Point :class:`bot.crm.salesforce.SalesforceCrm` at it with ``api_url=standin.url``. It
answers what ``simple-salesforce`` sends:

- ``POST /services/Soap/u/{v}``: SOAP ``login`` → ``sessionId`` and ``serverUrl``; a wrong
  password is a ``sf:INVALID_LOGIN`` fault.
- ``GET /services/data/v{v}/query?q=``: the SOQL subset the adapter writes —
  ``SELECT a, b, Owner.Email FROM Opportunity|User [WHERE f op literal [AND …]]
  [ORDER BY f[, g]] [LIMIT n]`` with ``=``, ``>``, ``>=``, ``<``, ``<=``, ``LIKE``; pages of
  ``batchSize`` (``Sforce-Query-Options``, default 2000) with ``done``/``nextRecordsUrl``;
  a column Opportunity does not have (standard, or custom ones seeded) is ``INVALID_FIELD``.
- ``GET /services/data/v{v}/query/{locator}-{offset}``: the next page.
- ``GET /services/data/v{v}/sobjects/Opportunity/deleted/?start=&end=``: getDeleted.
- ``POST /services/data/v{v}/sobjects/Task/`` and ``/Note/``: ``{"id", "success", "errors"}``.
- Errors as ``[{"message", "errorCode"}]``: 401 ``INVALID_SESSION_ID``, 403
  ``REQUEST_LIMIT_EXCEEDED``.

Reference pages followed: developer.salesforce.com/docs/platform/api-rest/guide/
resources-query.md and dome-query.md (query, nextRecordsUrl), …/resources-getdeleted
(deletedRecords, earliestDateAvailable, latestDateCovered), …/dome-sobject-create
(create answer), …/errorcodes (error body, REQUEST_LIMIT_EXCEEDED, INVALID_SESSION_ID),
the SOAP API login() call page, and the Opportunity, Task and Note object references.
"""

from __future__ import annotations

import itertools
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.standin.crm_http import CrmHttpServer, Request, json_answer
from bot.standin.httpd import Answer
from bot.standin.soql import Query, parse_time

STAGES = ("Prospecting", "Qualification", "Proposal/Price Quote", "Closed Won", "Closed Lost")


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


@dataclass
class Opportunity:
    id: str
    fields: dict[str, Any]
    modified: datetime
    deleted_at: datetime | None = None


@dataclass
class SalesforceUser:
    id: str
    email: str


@dataclass
class Written:
    """A Task or Note created on the stand-in."""

    sobject: str
    id: str
    fields: dict[str, Any]


@dataclass
class _Fault:
    path_prefix: str
    skip: int
    status: int
    code: str


@dataclass
class _Locator:
    records: list[dict[str, Any]]
    size: int
    used: set[int] = field(default_factory=set)


class SalesforceStandIn:
    """Salesforce on 127.0.0.1 and an ephemeral port. Use as a context manager."""

    def __init__(
        self,
        *,
        username: str = "admin@example.com",
        password: str = "standin-password",  # noqa: S107 - made up
        security_token: str = "standin-token",  # noqa: S107 - made up
        version: str = "59.0",
    ) -> None:
        self.username, self.password, self.security_token = username, password, security_token
        self.version = version
        self.session_id = "00Dstandin!" + uuid.uuid4().hex
        self.lock = threading.Lock()
        self.opportunities: dict[str, Opportunity] = {}
        self.users: dict[str, SalesforceUser] = {}
        self.written: list[Written] = []
        self.requests: list[str] = []
        self.logins = 0
        self._faults: list[_Fault] = []
        self._locators: dict[str, _Locator] = {}
        self._ids = itertools.count(1)
        self._server = CrmHttpServer(self)

    @property
    def url(self) -> str:
        return self._server.url

    def __enter__(self) -> SalesforceStandIn:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):015d}"

    # -- seeding and faults -------------------------------------------------------------

    def add_user(self, email: str) -> str:
        with self.lock:
            user = SalesforceUser(self._new_id("005"), email)
            self.users[user.id] = user
        return user.id

    def seed(
        self,
        count: int,
        *,
        start: datetime,
        step: timedelta = timedelta(seconds=1),
        owner_ids: list[str] | None = None,
        name: str = "Opportunity",
    ) -> list[str]:
        ids = []
        with self.lock:
            for index in range(count):
                stage = STAGES[index % len(STAGES)]
                opportunity = Opportunity(
                    id=self._new_id("006"),
                    fields={
                        "Name": f"{name} {index + 1:05d}",
                        "StageName": stage,
                        "Amount": float(1000 * (index % 97 + 1)),
                        "CloseDate": date(2027, 1 + index % 12, 15).isoformat(),
                        "OwnerId": owner_ids[index % len(owner_ids)] if owner_ids else None,
                        "IsClosed": stage.startswith("Closed"),
                        "IsWon": stage == "Closed Won",
                    },
                    modified=start + step * index,
                )
                self.opportunities[opportunity.id] = opportunity
                ids.append(opportunity.id)
        return ids

    def update(self, opportunity_id: str, at: datetime, **fields: Any) -> None:
        with self.lock:
            opportunity = self.opportunities[opportunity_id]
            opportunity.fields.update(fields)
            opportunity.modified = at

    def delete(self, opportunity_id: str, at: datetime) -> None:
        with self.lock:
            self.opportunities[opportunity_id].deleted_at = at

    def expire_session(self) -> None:
        """The session is no longer valid (signed out, or timed out)."""
        with self.lock:
            self.session_id = "00Dstandin!" + uuid.uuid4().hex

    def fail(self, path_prefix: str, *, after: int = 0, status: int = 403, code: str = "") -> None:
        """Answer the request to ``path_prefix`` after ``after`` good ones with an error once
        (default: 403 ``REQUEST_LIMIT_EXCEEDED``)."""
        with self.lock:
            self._faults.append(
                _Fault(path_prefix, after, status, code or "REQUEST_LIMIT_EXCEEDED")
            )

    # -- answering ----------------------------------------------------------------------

    def answer(self, request: Request) -> Answer:
        with self.lock:
            self.requests.append(f"{request.method} {request.path}")
            if request.path.startswith("/services/Soap/u/"):
                return self._login(request.body.decode())
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if token != self.session_id:
                return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
            for fault in self._faults:
                if request.path.startswith(fault.path_prefix):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    self._faults.remove(fault)
                    return _error(fault.status, fault.code, "TotalRequests Limit exceeded.")
            try:
                return self._route(request)
            except (KeyError, ValueError) as exc:
                return _error(400, "MALFORMED_QUERY", f"unexpected: {exc}")

    def _login(self, body: str) -> Answer:
        username = _xml_value(body, "username")
        password = _xml_value(body, "password")
        if username != self.username or password != self.password + self.security_token:
            fault = (
                '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv='
                '"http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf='
                '"urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault>'
                "<faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid "
                "username, password, security token; or user locked out.</faultstring>"
                "<detail><sf:LoginFault><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode>"
                "<sf:exceptionMessage>Invalid username, password, security token; or user "
                "locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault>"
                "</soapenv:Body></soapenv:Envelope>"
            )
            return 500, {"Content-Type": "text/xml"}, fault.encode()
        self.logins += 1
        server = f"https://{self.url.removeprefix('http://')}/services/Soap/u/{self.version}/00D"
        answer = (
            '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv='
            '"http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com">'
            "<soapenv:Body><loginResponse><result><passwordExpired>false</passwordExpired>"
            f"<serverUrl>{server}</serverUrl><sessionId>{self.session_id}</sessionId>"
            "<userId>005000000000000001</userId></result></loginResponse></soapenv:Body>"
            "</soapenv:Envelope>"
        )
        return 200, {"Content-Type": "text/xml"}, answer.encode()

    def _route(self, request: Request) -> Answer:
        base = f"/services/data/v{self.version}/"
        path = request.path
        if not path.startswith(base):
            return _error(404, "NOT_FOUND", "The requested resource does not exist")
        rest = path.removeprefix(base).rstrip("/")
        if request.method == "GET" and rest == "query":
            size = _batch_size(request.headers.get("sforce-query-options", ""))
            return self._query(request.arg("q") or "", size)
        if request.method == "GET" and rest.startswith("query/"):
            return self._more(rest.removeprefix("query/"))
        if request.method == "GET" and rest == "sobjects/Opportunity/deleted":
            return self._deleted(request)
        if request.method == "POST" and rest in ("sobjects/Task", "sobjects/Note"):
            return self._create(rest.removeprefix("sobjects/"), request.json())
        return _error(404, "NOT_FOUND", "The requested resource does not exist")

    def _query(self, soql: str, size: int) -> Answer:
        try:
            query = Query.parse(soql)
        except ValueError as exc:
            return _error(400, "MALFORMED_QUERY", str(exc))
        columns = self._columns(query.sobject)
        for name in query.columns_used():
            if name not in columns:
                return _error(
                    400,
                    "INVALID_FIELD",
                    f"No such column '{name}' on entity '{query.sobject}'. If you are "
                    "attempting to use a custom field, be sure to append the '__c' after the "
                    "custom field name.",
                )
        rows = query.run(self._rows(query.sobject))
        records = [self._record(query.sobject, row, query.fields) for row in rows]
        locator = "01g" + uuid.uuid4().hex[:15]
        self._locators[locator] = _Locator(records, size)
        return self._page(locator, 0)

    def _columns(self, sobject: str) -> set[str]:
        if sobject == "User":
            return {"Id", "Email"}
        custom = {name for o in self.opportunities.values() for name in o.fields}
        return custom | {
            "Id",
            "Name",
            "StageName",
            "Amount",
            "CloseDate",
            "OwnerId",
            "Owner.Email",
            "IsClosed",
            "IsWon",
            "SystemModstamp",
            "LastModifiedDate",
        }

    def _rows(self, sobject: str) -> list[dict[str, Any]]:
        if sobject == "User":
            return [{"Id": u.id, "Email": u.email} for u in self.users.values()]
        if sobject != "Opportunity":
            raise ValueError(f"sObject type '{sobject}' is not supported")
        return [
            {
                "Id": o.id,
                **o.fields,
                "SystemModstamp": stamp(o.modified),
                "LastModifiedDate": stamp(o.modified),
                "Owner.Email": self.users[o.fields["OwnerId"]].email
                if o.fields.get("OwnerId") in self.users
                else None,
            }
            for o in self.opportunities.values()
            if o.deleted_at is None
        ]

    def _record(self, sobject: str, row: dict[str, Any], names: list[str]) -> dict[str, Any]:
        record: dict[str, Any] = {
            "attributes": {
                "type": sobject,
                "url": f"/services/data/v{self.version}/sobjects/{sobject}/{row['Id']}",
            }
        }
        for name in names:
            if "." in name:
                parent, child = name.split(".", 1)
                record.setdefault(parent, {"attributes": {"type": "User"}})[child] = row.get(name)
            else:
                record[name] = row.get(name)
        return record

    def _page(self, locator: str, offset: int) -> Answer:
        found = self._locators[locator]
        records = found.records[offset : offset + found.size]
        done = offset + found.size >= len(found.records)
        answer: dict[str, Any] = {
            "totalSize": len(found.records),
            "done": done,
            "records": records,
        }
        if done:
            del self._locators[locator]
        else:
            answer["nextRecordsUrl"] = (
                f"/services/data/v{self.version}/query/{locator}-{offset + found.size}"
            )
        return json_answer(answer)

    def _more(self, identifier: str) -> Answer:
        locator, _, offset = identifier.partition("-")
        if locator not in self._locators:
            return _error(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return self._page(locator, int(offset))

    def _deleted(self, request: Request) -> Answer:
        start = parse_time(request.arg("start") or "")
        end = parse_time(request.arg("end") or "")
        gone = [
            {"id": o.id, "deletedDate": stamp(o.deleted_at)}
            for o in self.opportunities.values()
            if o.deleted_at is not None and start <= o.deleted_at <= end
        ]
        return json_answer(
            {
                "deletedRecords": gone,
                "earliestDateAvailable": stamp(end - timedelta(days=30)),
                "latestDateCovered": stamp(end),
            }
        )

    def _create(self, sobject: str, fields: dict[str, Any]) -> Answer:
        parent = fields.get("WhatId") if sobject == "Task" else fields.get("ParentId")
        if parent not in self.opportunities:
            return _error(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
        written = Written(sobject, self._new_id("00T" if sobject == "Task" else "002"), fields)
        self.written.append(written)
        return json_answer({"id": written.id, "success": True, "errors": []}, status=201)


def _xml_value(body: str, tag: str) -> str:
    match = re.search(rf"<(?:\w+:)?{tag}>(.*?)</(?:\w+:)?{tag}>", body, re.S)
    if match is None:
        return ""
    return match[1].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _batch_size(options: str) -> int:
    match = re.search(r"batchSize=(\d+)", options)
    return max(200, min(2000, int(match[1]))) if match else 2000


def _error(status: int, code: str, message: str) -> Answer:
    return json_answer([{"message": message, "errorCode": code}], status=status)
