"""Writes of the catalogue and the veille. Every change is audited (django-auditlog, actor set here so that
commands and tests record it too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from auditlog.context import set_actor
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.documents import check_document
from citemploi.core.errors import PermissionDenied, ValidationFailed
from citemploi.schemes.engine import parameters as labels
from citemploi.schemes.models import (
    GoodPractice,
    GoodPracticeAttachment,
    Scheme,
    SchemeParameter,
    VeilleEntry,
    VeilleFeedKey,
    VeilleStatus,
)
from citemploi.schemes.permissions import (
    can_add_good_practice,
    can_edit_good_practice,
    can_edit_parameters,
    can_edit_scheme_validity,
    can_manage_veille,
    can_view_veille,
)


class SchemeError(ValidationFailed):
    """A refused change; the message is French and shown to the user as is."""


@transaction.atomic
def scheme_parameter_set(
    *, actor: User, scheme: Scheme, key: str, value: Any, valid_from: dt.date, source: str
) -> SchemeParameter:
    """Give ``key`` a new value from ``valid_from``: the value in force until then is closed the day before, the
    history stays, and a draft veille entry is written for the coordination to review and publish. The same
    start date as the latest value corrects it in place (a typo), still audited."""
    if not can_edit_parameters(actor):
        raise PermissionDenied
    history = list(
        SchemeParameter.objects.select_for_update(of=("self",)).filter(scheme=scheme, key=key).order_by("valid_from")
    )
    latest = history[-1] if history else None
    if latest is not None and valid_from < latest.valid_from:
        raise SchemeError(
            _("La date d'effet doit être postérieure ou égale au %(date)s, date de la valeur en vigueur.")
            % {"date": f"{latest.valid_from:%d/%m/%Y}"}
        )
    if not source.strip():
        raise SchemeError(_("Indiquez la source du changement (texte, arrêté, décision de la coordination…)."))
    with set_actor(actor):
        parameter = _write(actor, scheme, key, value, valid_from, source.strip(), latest)
        _draft_veille_for(actor, parameter, previous=latest)
    return parameter


def _write(
    actor: User, scheme: Scheme, key: str, value: Any, valid_from: dt.date, source: str, latest: SchemeParameter | None
) -> SchemeParameter:
    if latest is not None and latest.valid_from == valid_from:
        latest.value, latest.source, latest.changed_by = value, source, actor
        latest.save(update_fields=["value", "source", "changed_by", "updated_at"])
        return latest
    if latest is not None:
        latest.valid_to = valid_from - dt.timedelta(days=1)
        latest.save(update_fields=["valid_to", "updated_at"])
    return SchemeParameter.objects.create(
        scheme=scheme, key=key, value=value, valid_from=valid_from, source=source, changed_by=actor
    )


def _draft_veille_for(actor: User, parameter: SchemeParameter, *, previous: SchemeParameter | None) -> VeilleEntry:
    label = labels.label(parameter.key)
    before = labels.display(parameter.key, previous.value) if previous is not None else _("aucune")
    entry = VeilleEntry.objects.create(
        date=timezone.localdate(),
        title=_("%(scheme)s : %(label)s modifié") % {"scheme": parameter.scheme.name, "label": label.lower()},
        summary=_("À partir du %(date)s, « %(label)s » vaut %(value)s (auparavant : %(before)s). Source : %(source)s")
        % {
            "date": f"{parameter.valid_from:%d/%m/%Y}",
            "label": label,
            "value": labels.display(parameter.key, parameter.value),
            "before": before,
            "source": parameter.source,
        },
        tags=["règle", parameter.scheme.code],
        status=VeilleStatus.DRAFT,
        author=actor,
    )
    entry.schemes.add(parameter.scheme)
    return entry


@transaction.atomic
def scheme_validity_set(*, actor: User, scheme: Scheme, valid_from: dt.date | None, valid_to: dt.date | None) -> Scheme:
    """Change the dates a scheme is open to entries (``None``: not known / no end). The engine reads them on the
    next evaluation: after ``valid_to`` no one is ``eligible`` any more. A real change drafts a veille entry; the
    same dates change nothing."""
    if not can_edit_scheme_validity(actor):
        raise PermissionDenied
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise SchemeError(
            _("La date de fin (%(end)s) doit être postérieure ou égale à la date de début (%(start)s).")
            % {"end": f"{valid_to:%d/%m/%Y}", "start": f"{valid_from:%d/%m/%Y}"}
        )
    locked = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
    before = (locked.valid_from, locked.valid_to)
    if before != (valid_from, valid_to):
        with set_actor(actor):
            locked.valid_from, locked.valid_to = valid_from, valid_to
            locked.save(update_fields=["valid_from", "valid_to", "updated_at"])
            _draft_validity_veille(actor, locked, before)
    scheme.valid_from, scheme.valid_to = locked.valid_from, locked.valid_to
    return scheme


def _period(valid_from: dt.date | None, valid_to: dt.date | None) -> str:
    if valid_from and valid_to:
        return _("en vigueur du %(start)s au %(end)s") % {
            "start": f"{valid_from:%d/%m/%Y}",
            "end": f"{valid_to:%d/%m/%Y}",
        }
    if valid_from:
        return _("en vigueur depuis le %(start)s, sans date de fin") % {"start": f"{valid_from:%d/%m/%Y}"}
    if valid_to:
        return _("en vigueur jusqu'au %(end)s") % {"end": f"{valid_to:%d/%m/%Y}"}
    return _("sans dates de validité renseignées")


def _draft_validity_veille(actor: User, scheme: Scheme, before: tuple[dt.date | None, dt.date | None]) -> VeilleEntry:
    entry = VeilleEntry.objects.create(
        date=timezone.localdate(),
        title=_("%(scheme)s : dates de validité modifiées") % {"scheme": scheme.name},
        summary=_(
            "Le dispositif est désormais %(now)s (auparavant : %(before)s). Aucune entrée n'est possible "
            "en dehors de ces dates."
        )
        % {"now": _period(scheme.valid_from, scheme.valid_to), "before": _period(*before)},
        tags=["validité", scheme.code],
        status=VeilleStatus.DRAFT,
        author=actor,
    )
    entry.schemes.add(scheme)
    return entry


@transaction.atomic
def veille_feed_key_regenerate(*, actor: User) -> int:
    """Give the actor a new personal feed address: the version signed into the token goes up by one, so the old
    address answers 404 from now on. Returns the new version."""
    if not can_view_veille(actor):
        raise PermissionDenied
    with set_actor(actor):
        key, created = VeilleFeedKey.objects.select_for_update(of=("self",)).get_or_create(
            user=actor, defaults={"version": 1}
        )
        if not created:
            key.version += 1
            key.save(update_fields=["version", "updated_at"])
    return key.version


@transaction.atomic
def veille_entry_save(
    *,
    actor: User,
    entry: VeilleEntry | None,
    date: dt.date,
    title: str,
    summary: str,
    source_url: str,
    schemes: Iterable[Scheme],
    tags: list[str],
) -> VeilleEntry:
    """Create (``entry`` None) or update a veille entry; its status does not change here."""
    if not can_manage_veille(actor):
        raise PermissionDenied
    with set_actor(actor):
        if entry is None:
            entry = VeilleEntry(author=actor)
        entry.date, entry.title, entry.summary, entry.source_url = date, title, summary, source_url
        entry.tags = sorted({t.strip() for t in tags if t.strip()})
        entry.full_clean(exclude=["schemes"])
        entry.save()
        entry.schemes.set(list(schemes))
    return entry


@transaction.atomic
def veille_entry_publish(*, actor: User, entry: VeilleEntry, publish: bool = True) -> VeilleEntry:
    """Publish a draft (it then appears to every partner and in the Atom feed), or withdraw it back to draft."""
    if not can_manage_veille(actor):
        raise PermissionDenied
    with set_actor(actor):
        entry.status = VeilleStatus.PUBLISHED if publish else VeilleStatus.DRAFT
        entry.published_at = (entry.published_at or timezone.now()) if publish else None
        entry.save(update_fields=["status", "published_at", "updated_at"])
    return entry


@transaction.atomic
def good_practice_create(
    *,
    actor: User,
    title: str,
    territory: str,
    description: str,
    results: str,
    contact: str,
    thematiques: list[str],
    attachments: Iterable[UploadedFile] = (),
) -> GoodPractice:
    """Add a good practice to the library, with its attachments."""
    if not can_add_good_practice(actor):
        raise PermissionDenied
    with set_actor(actor):
        practice = GoodPractice.objects.create(
            title=title,
            territory=territory,
            description=description,
            results=results,
            contact=contact,
            thematiques=sorted(set(thematiques)),
            author=actor,
        )
        _attach(practice, attachments)
    return practice


@transaction.atomic
def good_practice_update(
    *,
    actor: User,
    practice: GoodPractice,
    title: str,
    territory: str,
    description: str,
    results: str,
    contact: str,
    thematiques: list[str],
    attachments: Iterable[UploadedFile] = (),
) -> GoodPractice:
    """Change a good practice (by its author or the coordination): its attachments are kept, new ones added."""
    if not can_edit_good_practice(actor, practice):
        raise PermissionDenied
    with set_actor(actor):
        practice.title, practice.territory, practice.description = title, territory, description
        practice.results, practice.contact, practice.thematiques = results, contact, sorted(set(thematiques))
        fields = ["title", "territory", "description", "results", "contact", "thematiques", "updated_at"]
        practice.save(update_fields=fields)
        _attach(practice, attachments)
    return practice


def _attach(practice: GoodPractice, uploads: Iterable[UploadedFile]) -> None:
    uploads = list(uploads)
    for upload in uploads:  # every file checked before any is stored (core.documents: size and kind)
        check_document(upload.name or "", upload.size or 0, upload)
    for upload in uploads:
        GoodPracticeAttachment.objects.create(practice=practice, file=upload, name=upload.name or _("pièce jointe"))
