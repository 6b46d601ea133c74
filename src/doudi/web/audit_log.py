"""The audit log as an auditor reads it (审计日志): the rows of the scope filtered by
user, action, date range and person, each with its action and table in words, the
person it is about (their page linked when of the scope, the ID number masked) and its
detail as a Chinese sentence.

The jobs write the detail for machines — a period's change as JSON
(``rosters.changes.period_audit``: ``{"person_id":12,"what":"dibao","from":…}``), a
list's row as ``{"id_number": …, "detail": …}`` — and the web application writes
Chinese text; an auditor reads sentences, not JSON, and never a full ID number (an
auditor may not unmask: :data:`doudi.web.roles.PERMISSIONS`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from doudi.core import idnumber, regions, vocab
from doudi.registry.models import AuditLog, Bill, Enrollment, Person, StatusPeriod
from doudi.store.workbook import Sheet
from doudi.web import people
from doudi.web.listing import BadFilter, Column, day, sheet
from doudi.web.models import Account
from doudi.web.roles import Scope, mask_id

#: The tables whose rows belong to one person: an audit row about one of them is about
#: that person.
OF_A_PERSON: tuple[type[Model], ...] = (StatusPeriod, Enrollment, Bill)
#: Most people a person filter may stand for: an auditor looks for one person, and each
#: person found adds a search of the details.
MOST_PEOPLE = 50
#: Rows read at a time for an export (one query each for their people).
CHUNK = 2000


@dataclass(frozen=True)
class Filters:
    """The audit log's filters as the query string gives them."""

    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    person: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> Filters:
        """The filters of the request; :class:`BadFilter` for a date that is none or a
        range that ends before it begins."""
        get = request.GET
        since = day(request, "since", "起始日期")
        until = day(request, "until", "截止日期")
        if since and until and since > until:
            raise BadFilter(f"起始日期 {since.isoformat()} 晚于截止日期 {until.isoformat()}。")
        return cls(
            actor=get.get("actor", "").strip(),
            action=get.get("action", "").strip(),
            since=since,
            until=until,
            person=get.get("person", "").strip(),
        )

    def shown(self) -> list[tuple[str, str]]:
        """The filters set, as (label, value) in Chinese: the export's audit row."""
        pairs = [
            ("操作人", self.actor),
            ("操作", vocab.AUDIT_ACTION.label(self.action) if self.action else ""),
            ("起始日期", self.since.isoformat() if self.since else ""),
            ("截止日期", self.until.isoformat() if self.until else ""),
            ("人员", self.person),
        ]
        return [(label, value) for label, value in pairs if value]


def rows(scope: Scope, filters: Filters) -> QuerySet[AuditLog]:
    """The scope's rows that pass the filters, newest first (in the order written: the
    primary key, which a page reads by its index however long the log is)."""
    found = scope.audit_rows(AuditLog.objects.order_by("-pk"))
    if filters.actor:
        found = found.filter(actor=filters.actor)
    if filters.action:
        found = found.filter(action=filters.action)
    if filters.since:
        found = found.filter(at__gte=_midnight(filters.since))
    if filters.until:
        found = found.filter(at__lt=_midnight(filters.until + timedelta(days=1)))
    if filters.person:
        found = found.filter(_about(scope, filters.person))
    return found


def _midnight(day: date) -> datetime:
    """The day's start in the application's time zone (Beijing time): the dates a user
    types are theirs."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _about(scope: Scope, query: str) -> Q:
    """The rows about the people of the scope the query names (as the people search
    finds them): their own rows, their periods', enrollments' and bills', and the rows
    whose detail names them (a list's row by ID number, a period's change by person)."""
    found = list(people.matching(scope, query).values_list("pk", "id_number")[: MOST_PEOPLE + 1])
    if len(found) > MOST_PEOPLE:
        raise BadFilter(
            f"与“{query[:20]}”相符的人员超过 {MOST_PEOPLE} 位，请输入完整的姓名或身份证号。"
        )
    pks = [pk for pk, _ in found]
    about = Q(table_name=Person._meta.db_table, row_id__in=pks)
    for model in OF_A_PERSON:
        owned = model.objects.filter(person__in=pks).values("pk")
        about |= Q(table_name=model._meta.db_table, row_id__in=owned)
    for pk, number in found:
        # a period's change names its person as JSON: "person_id":12, (never 123)
        about |= Q(detail__contains=number) | Q(detail__contains=f'"person_id":{pk},')
    return about


def users(scope: Scope) -> list[str]:
    """The user names of the scope's accounts (the filter's suggestions)."""
    return sorted(
        a.user.get_username()
        for a in Account.objects.select_related("user")
        if regions.hukou_prefix(a.region).startswith(scope.prefix)
    )


def _parsed(detail: str) -> dict[str, Any] | None:
    """A detail the jobs wrote as JSON, or None for text."""
    if not detail.startswith("{"):
        return None
    try:
        parsed = json.loads(detail)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _period(action: str, d: dict[str, Any]) -> str:
    """A period's change (open, close, change, remove) as a sentence: whose status or
    enrollment, from when, to when, and what it was before."""
    what = str(d.get("what") or "")
    if what in vocab.STATUS:
        subject = f"{vocab.STATUS[what]}身份"
    else:
        subject = f"{vocab.SCHEME.get(what, what)}参保"
    since, to, was = d.get("from") or "", d.get("to"), d.get("was_to")
    if action == "open":
        return f"{subject}开始：自 {since} 起" + (f"，至 {to} 止" if to else "")
    if action == "close":
        return f"{subject}结束：{since} 起的期间止于 {to}"
    if action == "remove":
        return f"{subject}期间撤销：原为 {since} 至 {was or '今'}"
    return f"{subject}期间变更：{since} 起的期间止于 {to or '（未结束）'}（原为 {was or '未结束'}）"


def sentence(action: str, detail: str) -> str:
    """The detail of a row as a Chinese sentence, every ID number in it masked."""
    parsed = _parsed(detail)
    if parsed is None:
        text = detail
    elif "what" in parsed:
        text = _period(action, parsed)
    elif "detail" in parsed:
        text = str(parsed["detail"])
    else:
        text = "；".join(f"{vocab.FIELD.get(k, k)}：{v}" for k, v in parsed.items())
    return idnumber.mask_in_text(text)


def readable(
    scope: Scope, entries: Iterable[AuditLog], language: vocab.Language = "zh"
) -> list[dict[str, Any]]:
    """The rows as the page shows them: when, who, the action and table in words, the
    person (of the scope: linked; masked) and the detail as a sentence."""
    entries = list(entries)
    details = [_parsed(e.detail) or {} for e in entries]
    owners = _owners(entries)
    pks = {owners.get((e.table_name, e.row_id)) for e in entries}
    pks |= {d.get("person_id") for d in details}
    numbers = {str(d["id_number"]) for d in details if d.get("id_number")}
    known = scope.people(
        Person.objects.filter(Q(pk__in=[p for p in pks if p]) | Q(id_number__in=numbers))
    ).only("pk", "name", "id_number")
    by_pk = {p.pk: p for p in known}
    by_number = {p.id_number: p for p in by_pk.values()}
    out = []
    for e, d in zip(entries, details, strict=True):
        person = by_pk.get(owners.get((e.table_name, e.row_id)) or d.get("person_id") or 0)
        person = person or by_number.get(str(d.get("id_number", "")))
        out.append(
            {
                "at": timezone.localtime(e.at),
                "actor": e.actor,
                "action": vocab.AUDIT_ACTION.label(e.action, language),
                "table": vocab.AUDIT_TABLE.label(e.table_name, language),
                "row_id": e.row_id,
                "person": person.pk if person else None,
                "name": person.name if person else "",
                "id_number": mask_id(person.id_number) if person else "",
                "detail": sentence(e.action, e.detail),
            }
        )
    return out


def _owners(entries: list[AuditLog]) -> dict[tuple[str, int | None], int]:
    """(table, row) → the person whose row it is: a person's own row, and the rows of
    their periods, enrollments and bills."""
    owners: dict[tuple[str, int | None], int] = {
        (e.table_name, e.row_id): e.row_id
        for e in entries
        if e.table_name == Person._meta.db_table and e.row_id
    }
    for model in OF_A_PERSON:
        table = model._meta.db_table
        ids = {e.row_id for e in entries if e.table_name == table and e.row_id}
        if ids:
            for pk, person in model.objects.filter(pk__in=ids).values_list("pk", "person_id"):
                owners[(table, pk)] = person
    return owners


#: The export's columns: the page's, the time to the second in Beijing time.
COLUMNS = (
    Column("at", "时间", pa.timestamp("s")),
    Column("actor", "操作人"),
    Column("action", "操作"),
    Column("table", "对象"),
    Column("row_id", "行号", pa.int64()),
    Column("name", "人员"),
    Column("id_number", "公民身份号码"),
    Column("detail", "详情"),
)


def workbook_sheet(scope: Scope, found: QuerySet[AuditLog]) -> Sheet:
    """The filtered rows as the export's sheet, read a chunk at a time."""

    def chunks() -> Iterator[dict[str, Any]]:
        batch: list[AuditLog] = []
        for entry in found.iterator(chunk_size=CHUNK):
            batch.append(entry)
            if len(batch) == CHUNK:
                yield from _local(readable(scope, batch))
                batch = []
        yield from _local(readable(scope, batch))

    return sheet("审计日志", COLUMNS, chunks())


def _local(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows with their time as Beijing time without a zone: Excel has no zones, and the
    workbook would otherwise write UTC (store.workbook)."""
    for row in rows:
        yield {**row, "at": row["at"].replace(tzinfo=None, microsecond=0)}
