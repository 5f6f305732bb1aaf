"""Reads of the audit trail for a viewer: change history (django-auditlog) and access log, filtered.

Who sees what (issue 9 item 3) is decided here, not in the views:
- the coordinator sees every change and every read of a record, names included; masked fields (notes, sensitive
  facts, free texts, see `core.audit`) read « modifié » for everyone;
- both see the logins (django-axes: account, address, when);
- the admin sees the history of technical models only (configuration: structures, memberships, accounts,
  schemes, QPV, census) — never an entry about a person — and the access log without the records' labels
  (searching it by name is refused too, or the search would answer the question);
- anyone else sees nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from citemploi.accounts.permissions import is_admin, is_coordinator
from citemploi.core import audit
from citemploi.core.models import AccessLog

EMPTY = "—"


@dataclass(frozen=True)
class AuditFilters:
    user_id: int | None = None
    structure_id: int | None = None
    record: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _dates(qs: QuerySet, field: str, f: AuditFilters) -> QuerySet:  # type: ignore[type-arg]
    if f.date_from:
        qs = qs.filter(**{f"{field}__date__gte": f.date_from})
    if f.date_to:
        qs = qs.filter(**{f"{field}__date__lte": f.date_to})
    return qs


def _technical_content_types() -> list[int]:
    labels = [label.split(".", 1) for label in audit.technical_labels()]
    cts = ContentType.objects.get_for_models(*[m for m in (_model(a, n) for a, n in labels) if m is not None])
    return [ct.pk for ct in cts.values()]


def _model(app_label: str, model_name: str) -> type[models.Model] | None:
    from django.apps import apps

    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def change_history(*, viewer: object, filters: AuditFilters) -> QuerySet[LogEntry]:
    """Changes the viewer may read: who, when, which record (newest first)."""
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if is_admin(viewer) and not is_coordinator(viewer):
        qs = qs.filter(content_type_id__in=_technical_content_types())
    elif not is_coordinator(viewer):
        return LogEntry.objects.none()  # type: ignore[no-any-return]
    f = filters
    if f.user_id:
        qs = qs.filter(actor_id=f.user_id)
    if f.structure_id:
        qs = qs.filter(actor__memberships__structure_id=f.structure_id).distinct()
    if f.record:
        qs = qs.filter(Q(object_pk=f.record) | Q(object_repr__icontains=f.record))
    return _dates(qs, "timestamp", f)


def access_history(*, viewer: object, filters: AuditFilters) -> QuerySet[AccessLog]:
    """Reads of personal records (newest first); the admin may search by record identifier only."""
    qs = AccessLog.objects.select_related("user", "structure")
    if not (is_coordinator(viewer) or is_admin(viewer)):
        return AccessLog.objects.none()
    f = filters
    if f.user_id:
        qs = qs.filter(user_id=f.user_id)
    if f.structure_id:
        qs = qs.filter(structure_id=f.structure_id)
    if f.record and is_coordinator(viewer):
        qs = qs.filter(Q(record_id=f.record) | Q(record_label__icontains=f.record))
    elif f.record:
        qs = qs.filter(record_id=f.record)
    return _dates(qs, "at", f)


def login_history(*, viewer: object, filters: AuditFilters) -> QuerySet[Any]:
    """Successful logins of staff accounts (django-axes' access log), newest first: a technical event."""
    from axes.models import AccessLog as LoginLog

    if not (is_coordinator(viewer) or is_admin(viewer)):
        return LoginLog.objects.none()  # type: ignore[no-any-return]
    qs = LoginLog.objects.order_by("-attempt_time", "-id")
    f = filters
    if f.user_id:
        from citemploi.accounts.models import User

        qs = qs.filter(username__iexact=User.objects.filter(pk=f.user_id).values_list("email", flat=True).first() or "")
    if f.structure_id:
        from citemploi.accounts.models import Membership

        emails = Membership.objects.filter(structure_id=f.structure_id).values("user__email")
        qs = qs.filter(username__in=emails)
    return _dates(qs, "attempt_time", f)


# --- Presentation: one French line per entry, the before/after on demand -----------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    masked: bool


@dataclass(frozen=True)
class ChangeRow:
    timestamp: dt.datetime
    actor: str
    action: str
    model: str
    record: str
    fields: list[FieldChange]

    @property
    def summary(self) -> str:
        """The changed fields in a few words (the first four; the details element shows them all)."""
        labels = [f.label for f in self.fields]
        return ", ".join(labels[:4]) + (
            _(" et %(count)s autres") % {"count": len(labels) - 4} if len(labels) > 4 else ""
        )


@dataclass(frozen=True)
class AccessRow:
    at: dt.datetime
    user: str
    structure: str
    record_type: str
    record_id: str
    record_label: str
    reason: str


def _actions() -> dict[int, str]:
    return {
        LogEntry.Action.CREATE: _("création"),
        LogEntry.Action.UPDATE: _("modification"),
        LogEntry.Action.DELETE: _("suppression"),
        LogEntry.Action.ACCESS: _("consultation"),
    }


def actor_label(entry: LogEntry) -> str:
    """The author: a user, an operator's command, or the system (a write without any actor)."""
    if entry.actor is not None:
        return str(entry.actor)
    cid = str(entry.cid or "")
    if cid.startswith(audit.COMMAND_CID_PREFIX):
        return cid
    if entry.actor_email:
        return str(entry.actor_email)
    return _("système")


def display_value(field: models.Field | None, raw: Any) -> str:  # type: ignore[type-arg]
    """A stored value as a French reader expects it: labels of choices, Oui/Non, dates, « — » for nothing."""
    if raw is None or raw in ("None", ""):
        return EMPTY
    text = str(raw)
    if field is None:
        return text
    if field.choices:
        return str(dict((str(k), v) for k, v in field.flatchoices).get(text, text)) or EMPTY
    if isinstance(field, models.BooleanField):
        return {"True": _("Oui"), "False": _("Non")}.get(text, text)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(text)
        if moment is None:
            return text
        if timezone.is_naive(moment):  # auditlog stores datetimes as naive UTC
            moment = timezone.make_aware(moment, dt.UTC)
        return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")
    if isinstance(field, models.DateField):
        day = parse_date(text)
        return formats.date_format(day, "d/m/Y") if day else text
    return text


def _field(model: type[models.Model] | None, name: str) -> models.Field | None | bool:  # type: ignore[type-arg]
    """The model's field, None when unknown (removed since), False for a reverse relation (not shown)."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else False


def _field_changes(entry: LogEntry) -> list[FieldChange]:
    model = entry.content_type.model_class()
    masked = audit.masked_fields(model)
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    rows = []
    for name, values in sorted((entry.changes_dict or {}).items(), key=lambda item: order.get(item[0], 999)):
        field = _field(model, name)
        if field is False:
            continue
        assert field is None or isinstance(field, models.Field)
        label = str(getattr(field, "verbose_name", name))
        if name in masked:
            rows.append(FieldChange(label=label, before="", after=_("modifié"), masked=True))
            continue
        before, after = (list(values) + [None, None])[:2]
        rows.append(FieldChange(label, display_value(field, before), display_value(field, after), False))
    return rows


def change_rows(entries: Iterable[LogEntry], *, viewer: object) -> list[ChangeRow]:
    """One page of `change_history(viewer=...)`, ready to show (no query beyond the page's own)."""
    actions = _actions()
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        rows.append(
            ChangeRow(
                timestamp=entry.timestamp,
                actor=actor_label(entry),
                action=actions.get(entry.action, str(entry.action)),
                model=str(model._meta.verbose_name) if model else entry.content_type.name,
                record=entry.object_repr or EMPTY,
                fields=_field_changes(entry),
            )
        )
    return rows


def _type_label(record_type: str) -> str:
    app_label, _sep, name = record_type.partition(".")
    model = _model(app_label, name) if name else None
    return str(model._meta.verbose_name) if model else record_type


def access_rows(entries: Iterable[AccessLog], *, viewer: object) -> list[AccessRow]:
    """One page of `access_history`; the records' labels are left out for anyone but the coordinator."""
    show_labels = is_coordinator(viewer)
    return [
        AccessRow(
            at=entry.at,
            user=str(entry.user) if entry.user else EMPTY,
            structure=str(entry.structure) if entry.structure else EMPTY,
            record_type=_type_label(entry.record_type),
            record_id=entry.record_id,
            record_label=entry.record_label if show_labels else "",
            reason=entry.reason or _("consultation"),
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class LoginRow:
    at: dt.datetime
    username: str
    ip_address: str
    logout: dt.datetime | None


def login_rows(entries: Iterable[Any], *, viewer: object) -> list[LoginRow]:
    """One page of `login_history`."""
    return [
        LoginRow(
            at=e.attempt_time, username=e.username or EMPTY, ip_address=e.ip_address or EMPTY, logout=e.logout_time
        )
        for e in entries
    ]
