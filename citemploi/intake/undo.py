"""Undo an import (§6): what it created is removed in reverse order, what it changed restored.

A record edited since the import (its version or its timeline moved on, its ``updated_at`` changed) is kept and
listed with the reason; so is a field changed again since. The undo itself is one transaction.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.errors import InvalidTransition
from citemploi.intake.models import Import, State
from citemploi.pathways.models import Person, TimelineEvent

logger = logging.getLogger("citemploi.intake")


def fingerprint(obj: models.Model, *, events: int | None = None) -> dict[str, Any]:
    """What the object looks like now, to tell later whether someone edited it (``events``: the person's number
    of timeline lines when the caller counted them already)."""
    if isinstance(obj, Person):
        if events is None:
            events = TimelineEvent.objects.filter(person=obj).count()
        return {"version": obj.version, "events": events}
    updated = getattr(obj, "updated_at", None)
    return {"updated_at": updated.isoformat()} if updated else {}


def _edited(obj: models.Model, before: dict[str, Any]) -> str:
    """Why ``obj`` must be kept ('' when it may go)."""
    if not before:
        return ""
    now = fingerprint(obj)
    if isinstance(obj, Person):
        if now.get("version") != before.get("version"):
            return _("fiche modifiée depuis l'import")
        if now.get("events", 0) > before.get("events", 0):
            return _("parcours suivi depuis l'import (nouveaux événements)")
        return ""
    return _("modifié depuis l'import") if now != before else ""


@transaction.atomic
def undo(*, by: User | None, batch: Import) -> Import:
    locked = Import.objects.select_for_update(of=("self",)).get(pk=batch.pk)
    if locked.state != State.IMPORTED:
        raise InvalidTransition(_("Seul un import « importé » peut être annulé."))
    kept: list[dict[str, str]] = []
    removed = 0
    touched: set[int] = set()  # the people whose records were removed: their stored milestones are recomputed
    for record in locked.objects_created.select_related("content_type").order_by("-id"):
        model = record.content_type.model_class()
        obj = model._default_manager.filter(pk=record.object_id).first() if model else None
        if obj is None:
            continue  # gone already (merged, purged, or removed with the record it belonged to)
        reason = _edited(obj, record.fingerprint)
        if reason:
            kept.append({"label": _label(obj), "reason": reason})
            continue
        person_id = getattr(obj, "person_id", None)
        if isinstance(person_id, int):
            touched.add(person_id)
        obj.delete()
        removed += 1
    kept += _restore(locked)
    Person.objects.filter(pk__in=touched).refresh_milestones()
    locked.state, locked.undone_at, locked.undone_by, locked.undo_kept = State.CANCELLED, timezone.now(), by, kept
    locked.counts = {**locked.counts, "removed": removed, "kept": len(kept)}
    locked.save(update_fields=["state", "undone_at", "undone_by", "undo_kept", "counts", "updated_at"])
    logger.info("import %s annulé par %s : %s supprimé(s), %s conservé(s)", locked.pk, getattr(by, "pk", "commande"),
                removed, len(kept))  # fmt: skip
    return locked


def _label(obj: models.Model) -> str:
    if isinstance(obj, Person):
        return _("Fiche %(id)s") % {"id": obj.public_id}
    return f"{obj._meta.verbose_name} {getattr(obj, 'public_id', obj.pk)}"


def _restore(batch: Import) -> list[dict[str, str]]:
    kept = []
    for change in batch.changes.select_related("content_type").order_by("-id"):
        model = change.content_type.model_class()
        obj = (
            model._default_manager.select_for_update(of=("self",)).filter(pk=change.object_id).first()
            if model
            else None
        )
        if obj is None:
            continue
        field = cast(models.Field, obj._meta.get_field(change.field))  # type: ignore[type-arg]
        current = field.value_to_string(obj)
        if current != (change.after if change.after is not None else ""):
            kept.append(
                {
                    "label": _label(obj),
                    "reason": _("champ « %(f)s » modifié depuis l'import") % {"f": field.verbose_name},
                }
            )
            continue
        setattr(obj, field.attname, field.to_python(change.before))
        obj.save(update_fields=[field.name])
    return kept
