"""Audit policy (issue 9 items 3-5): which audited models hold personal data, which fields never reach the
history, who wrote a change.

- **Personal models** (every model of an app listed in `PERSONAL_APPS`, plus the models an app registers with
  ``personal=True``): their history is shown to the coordinator only.
- **Technical models** (configuration: structures, memberships, accounts, schemes, QPV, the census offer): the
  admin sees their history. Every audited model is one or the other (a test checks it).
- **Masked fields** (sensitive facts such as RQTH and justice, notes and every free text of a personal model):
  auditlog stores `MASKED` instead of the value, so the value is never written to the history; the screens show
  « modifié » (also for entries written before masking existed).
- **The actor** of a write: the web sets it in auditlog's middleware, the API in `citemploi.api.base`, commands in
  `core.batch.GroupCommand` (with the `cid` « commande : … » so an operator's write reads as such).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

#: What auditlog stores instead of a masked value (a constant: nothing of the value is kept).
MASKED = "[masqué]"
#: Apps whose every model holds data about a person.
PERSONAL_APPS = frozenset({"pathways"})
#: Audited models of other apps that hold data about a person (label_lower), filled by `register`.
PERSONAL_MODELS: set[str] = set()
#: Audited configuration models; those of apps that call auditlog directly (accounts, territory) are listed here.
TECHNICAL_MODELS: set[str] = {"accounts.user", "accounts.structure", "accounts.membership", "territory.qpv"}
#: The `cid` prefix of a write made by an operator's command.
COMMAND_CID_PREFIX = "commande : "


def mask(value: str) -> str:
    """auditlog's mask callable: the value is replaced as a whole (its default keeps half of it)."""
    return MASKED


def free_text_fields(model: type[models.Model]) -> list[str]:
    """Text fields (notes, comments, reasons): always masked in the history."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField)]


def register(
    model: type[models.Model],
    *,
    personal: bool,
    masked: Iterable[str] = (),
    exclude: Iterable[str] = ("updated_at",),
    **options: Any,
) -> None:
    """Register ``model`` with auditlog under the policy above; free texts of personal models are masked."""
    from auditlog.registry import auditlog

    label = model._meta.label_lower
    (PERSONAL_MODELS if personal else TECHNICAL_MODELS).add(label)
    auditlog.register(
        model,
        exclude_fields=list(exclude),
        mask_fields=sorted({*masked, *(free_text_fields(model) if personal else ())}),
        mask_callable="citemploi.core.audit.mask",
        **options,
    )


def is_personal(label: str) -> bool:
    """Does the history of this model (label_lower) speak about a person?"""
    return label.split(".", 1)[0] in PERSONAL_APPS or label in PERSONAL_MODELS


def technical_labels() -> set[str]:
    """Audited models whose history the admin may read."""
    return {label for label in TECHNICAL_MODELS if not is_personal(label)}


def masked_fields(model: type[models.Model] | None) -> set[str]:
    """Fields shown as « modifié » for this model (also for entries written before masking existed)."""
    if model is None:
        return set()
    from auditlog.registry import auditlog

    if not auditlog.contains(model):
        return set()
    fields = set(auditlog.get_model_fields(model)["mask_fields"])
    return fields | set(free_text_fields(model)) if is_personal(model._meta.label_lower) else fields


def history_move(model: type[models.Model], *, from_pk: int, to_pk: int) -> None:
    """The history of a record absorbed into another (a merge) joins the kept record's: the trail of both can
    then be read, and scrubbed by retention, as one."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_pk=str(from_pk))
    entries.update(object_pk=str(to_pk), object_id=to_pk)


def log_created(instances: Sequence[models.Model], *, batch_size: int = 1000) -> int:
    """The history of objects written by ``bulk_create`` (which sends no ``post_save``, so auditlog sees
    nothing): for each audited instance, in the given order, the « create » entry auditlog's own receiver would
    have written — same changes, masks, representation, correlation id, and the actor and address of the
    current ``set_actor`` context (its ``pre_save`` receiver is sent for each entry) — inserted in batches.
    Returns the number of entries written. ``created_entries`` and ``write_entries`` split the two halves, for a
    caller that must read the objects' state at different moments."""
    return write_entries(created_entries(instances), batch_size=batch_size)


def created_entries(instances: Iterable[models.Model]) -> list[tuple[Any, ...] | None]:
    """The « create » entries of ``instances`` just inserted (not saved yet): auditlog's ``model_instance_diff``
    against nothing, computed with the field list, masks and constant parts worked out once per model. Reverse
    one-to-one relations are read as empty, as auditlog reads them right after an insert (no query per object).
    One item per instance, in order: None for an instance auditlog would not log (not audited, no change,
    refused by a ``pre_log`` receiver, history disabled)."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_disabled
    from auditlog.models import DEFAULT_OBJECT_REPR, LogEntry
    from auditlog.registry import auditlog
    from auditlog.signals import pre_log
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import ObjectDoesNotExist
    from django.db import router
    from django.db.models.signals import pre_save
    from django.utils.encoding import smart_str

    instances = list(instances)
    if auditlog_disabled.get():
        return [None] * len(instances)
    alias, cid = router.db_for_write(LogEntry), get_cid()
    prepared: list[tuple[Any, ...] | None] = []
    use_json = bool(getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False))  # set by auditlog's conf
    plans: dict[type[models.Model], list[tuple[Any, str, Any]]] = {}
    for instance in instances:
        sender = type(instance)
        if not auditlog.contains(sender):
            prepared.append(None)
            continue
        results = pre_log.send(sender, instance=instance, action=LogEntry.Action.CREATE)
        if any(item[1] is False for item in results):
            prepared.append(None)
            continue
        changes = _created_diff(instance, plans, use_json)
        if not changes:
            prepared.append(None)
            continue
        try:
            representation = smart_str(instance)
        except ObjectDoesNotExist:
            representation = DEFAULT_OBJECT_REPR
        pk = instance.pk
        entry = LogEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=pk,
            object_id=pk if isinstance(pk, int) else None,
            object_repr=representation,
            serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
            action=LogEntry.Action.CREATE,
            changes=changes,
            cid=cid,
        )
        additional = getattr(instance, "get_additional_data", None)
        if callable(additional):
            entry.additional_data = additional()
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=alias, update_fields=None)
        prepared.append((entry, sender, instance, results, changes))
    return prepared


def write_entries(items: Sequence[tuple[Any, ...] | None], *, batch_size: int = 1000) -> int:
    """Insert entries from ``created_entries`` (then auditlog's ``post_log`` for each, as its receiver does)."""
    from auditlog.models import LogEntry
    from auditlog.signals import post_log

    prepared = [item for item in items if item is not None]
    from citemploi.core.bulk import insert_many

    entries = [p[0] for p in prepared]
    for start in range(0, len(entries), batch_size):
        insert_many(LogEntry, entries[start : start + batch_size])
    for entry, sender, instance, results, changes in prepared:
        post_log.send(sender, instance=instance, instance_old=None, action=LogEntry.Action.CREATE, error=None,
                      pre_log_results=results, changes=changes, log_entry=entry)  # fmt: skip
    return len(prepared)


def _created_diff(
    instance: models.Model, plans: dict[type[models.Model], list[tuple[Any, str, Any]]], use_json: bool
) -> dict[str, tuple[Any, Any]] | None:
    """What ``auditlog.diff.model_instance_diff(None, instance)`` gives, field for field and in the same order."""
    from auditlog.diff import get_field_value, is_primitive
    from django.utils.encoding import smart_str

    model = type(instance)
    plan = plans.get(model)
    if plan is None:
        plan = plans[model] = _plan(instance, use_json)
    old = None if use_json else "None"  # what auditlog reads of a field of no instance (its default: None)
    diff: dict[str, tuple[Any, Any]] = {}
    for field, kind, extra in plan:
        new = extra if kind == "constant" else get_field_value(instance, field, use_json)
        if old == new:
            continue
        if kind == "masked":
            diff[field.name] = (extra(smart_str(old)), extra(smart_str(new)))
        elif not use_json:
            diff[field.name] = (smart_str(old), smart_str(new))
        else:
            diff[field.name] = (old, new if is_primitive(new) else smart_str(new))
    return diff or None


def _plan(instance: models.Model, use_json: bool) -> list[tuple[Any, str, Any]]:
    """The fields auditlog compares for this model, in its order, each with how to read it: « value » (read on
    each instance), « masked » (read, then masked), « constant » (a reverse relation's manager, whose text is
    the same for every instance). Reverse one-to-one relations are left out: empty right after an insert."""
    from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function
    from auditlog.registry import auditlog

    model_fields = auditlog.get_model_fields(type(instance))
    fields: Iterable[Any] = set(get_fields_in_model(instance))
    if model_fields["include_fields"]:
        fields = [f for f in fields if f.name in model_fields["include_fields"]]
    if model_fields["exclude_fields"]:
        fields = [f for f in fields if f.name not in model_fields["exclude_fields"]]
    plan: list[tuple[Any, str, Any]] = []
    for field in fields:
        if field.auto_created and not field.concrete and field.one_to_one:
            continue
        if field.name in model_fields["mask_fields"]:
            plan.append((field, "masked", get_mask_function(model_fields.get("mask_callable"))))
        elif field.auto_created and not field.concrete and field.one_to_many:
            plan.append((field, "constant", get_field_value(instance, field, use_json)))
        else:
            plan.append((field, "value", None))
    return plan
