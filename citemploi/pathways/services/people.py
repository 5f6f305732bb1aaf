"""Services about the person: registration (with repérage), updates, address → QPV, information notice,
consents, referent, pathway state, target jobs, merge. Keyword-only, atomic, each writes the timeline."""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citemploi.accounts.models import Structure, User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import PermissionDenied
from citemploi.pathways.choices import QPVStatus
from citemploi.pathways.models import (
    Consent,
    Contact,
    Exit,
    Frein,
    Handoff,
    InformationNotice,
    Mobilisation,
    Pathway,
    Person,
    ReferentAssignment,
    Reperage,
    RomeCode,
    TargetJob,
    TimelineEvent,
)
from citemploi.pathways.names import search_name
from citemploi.pathways.permissions import can_merge_people, can_register_person, referent_structures
from citemploi.pathways.services.common import (
    REFERENT_ONLY,
    Visibility,
    edits,
    event,
    guarded,
    locked_pathway,
    move_pathway,
    require,
)
from citemploi.territory.models import QPV

logger = logging.getLogger("citemploi.pathways")

SENSITIVE_FIELDS = frozenset({"rqth", "justice"})
_FIELD_LABELS = {f.name: str(f.verbose_name) for f in Person._meta.concrete_fields}
ADDRESS_FIELDS = ("address", "postcode", "city")


def _registers(*, by: User, structure: Structure, **_: object) -> bool:
    return bool(can_register_person(by)) and (is_coordinator(by) or structure.pk in by.structure_ids)


def _locate(person: Person) -> None:
    """Geocode the address and test it against the QPV perimeters (territory app). Never from the postcode."""
    if not person.address:
        return
    try:
        locate = importlib.import_module("citemploi.territory.services").address_locate
    except AttributeError:  # the territory geocoder is not installed yet: the QPV stays unknown
        return
    found, answer = locate(person.address, postcode=person.postcode, city=person.city)
    status = {"in": QPVStatus.IN, "out": QPVStatus.OUT, "error": QPVStatus.ERROR}.get(answer.status, QPVStatus.UNKNOWN)
    if answer.near_boundary:
        status = QPVStatus.CHECK
    person.qpv_status = status
    person.qpv = QPV.objects.filter(code=answer.qpv_code).first() if answer.qpv_code else None
    person.qpv_generation = answer.generation
    person.qpv_checked_on = timezone.localdate()
    if found is not None:
        person.lon, person.lat, person.insee_code = found.lon, found.lat, found.insee_code or person.insee_code


@guarded(_registers, gettext_lazy("Votre rôle ne permet pas d'enregistrer une personne."))
@transaction.atomic
def person_register(
    *,
    by: User,
    structure: Structure,
    channel: str,
    spotted_on: date,
    place: str = "",
    locate: bool = True,
    **fields: Any,
) -> Person:
    """Register a spotted person: the record, its repérage and its pathway (state « repéré ») owned by
    ``structure``. The address is located in or out of a QPV when ``locate``."""
    person = Person(**fields)
    person.search_name = search_name(person.first_name, person.last_name)
    person.birth_year = person.birth_date.year if person.birth_date else None
    if locate:
        _locate(person)
    person.save()
    Reperage.objects.create(
        person=person, channel=channel, spotted_on=spotted_on, place=place, spotted_by=by, structure=structure
    )
    Pathway.objects.create(person=person, structure=structure)
    event(
        person=person,
        kind="person.spotted",
        label=f"Repérage ({Reperage(channel=channel).get_channel_display()})",
        by=by,
        structure=structure,
    )
    return person


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def person_update(*, by: User, person: Person, **fields: Any) -> Person:
    """Change identity, contact, address or situation; the address is located again when it changes."""
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, fields[name])
    if not changed:
        return person
    person.search_name = search_name(person.first_name, person.last_name)
    person.birth_year = person.birth_date.year if person.birth_date else None
    if set(changed) & set(ADDRESS_FIELDS):
        _locate(person)
    person.save()
    sensitive = bool(set(changed) & SENSITIVE_FIELDS)
    label = "Fiche modifiée : " + ", ".join(_FIELD_LABELS[n] for n in changed)
    event(
        person=person,
        kind="person.update",
        label=label,
        by=by,
        visibility=Visibility.SENSITIVE if sensitive else Visibility.SHARED,
    )
    return person


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def notice_record(*, by: User, person: Person, informed_on: date, notice_version: str) -> InformationNotice:
    """The person was given the information notice (who, when, which version)."""
    notice = InformationNotice.objects.create(
        person=person, informed_on=informed_on, informed_by=by, notice_version=notice_version
    )
    event(person=person, kind="notice.given", label=f"Notice d'information remise (version {notice_version})", by=by)
    return notice


@guarded(lambda by, notice, **_: edits(by, notice.person), REFERENT_ONLY)
@transaction.atomic
def notice_object(*, by: User, notice: InformationNotice, objected_on: date, reason: str = "") -> InformationNotice:
    """The person objects to the processing: recorded; the referent then closes the pathway as a refusal."""
    require(notice.objected_on is None, _("L'opposition est déjà enregistrée."))
    notice.objected_on, notice.objection_reason = objected_on, reason
    notice.save(update_fields=["objected_on", "objection_reason", "updated_at"])
    event(person=notice.person, kind="notice.objection", label="Opposition au traitement enregistrée", by=by)
    return notice


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def consent_give(*, by: User, person: Person, partner: Structure, given_on: date) -> Consent:
    """Consent to share with one partner (needed for associations not bound by professional secrecy)."""
    require(
        not Consent.objects.filter(person=person, partner=partner, revoked_on__isnull=True).exists(),
        _("Un consentement est déjà en cours pour %(partner)s.") % {"partner": partner},
    )
    consent = Consent.objects.create(person=person, partner=partner, given_on=given_on, recorded_by=by)
    event(person=person, kind="consent.given", label=f"Consentement au partage avec {partner}", by=by)
    return consent


@guarded(lambda by, consent, **_: edits(by, consent.person), REFERENT_ONLY)
@transaction.atomic
def consent_revoke(*, by: User, consent: Consent, revoked_on: date) -> Consent:
    """The person withdraws a consent."""
    require(consent.revoked_on is None, _("Ce consentement est déjà retiré."))
    consent.revoked_on = revoked_on
    consent.save(update_fields=["revoked_on", "updated_at"])
    event(person=consent.person, kind="consent.revoked", label=f"Consentement retiré ({consent.partner})", by=by)
    return consent


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def referent_assign(*, by: User, person: Person, referent: User) -> Pathway:
    """Make ``referent`` the single referent; the previous one's period is closed (history kept). The referent
    must hold a casework role in a structure the actor may name for (any for the coordinator, the actor's own
    otherwise); when the referent works in another structure, the record moves there (a timeline line says so)."""
    pathway = locked_pathway(person)
    allowed = referent_structures(by, referent)
    if not allowed:
        raise PermissionDenied(
            _("%(referent)s ne peut pas être désigné référent : il n'accompagne pas dans une de vos structures.")
            % {"referent": referent}
        )
    require(pathway.referent_id != referent.pk, _("%(referent)s est déjà le référent unique.") % {"referent": referent})
    # Stay in the current structure when the referent works there, else the actor's, else the referent's first.
    mine = [pathway.structure_id, *(m.structure_id for m in by.active_memberships)]
    structure_id = next((pk for pk in mine if pk in allowed), None)
    structure = next(
        m.structure for m in referent.active_memberships if m.structure_id == (structure_id or min(allowed))
    )
    moved_from = pathway.structure if structure.pk != pathway.structure_id else None
    now = timezone.now()
    ReferentAssignment.objects.filter(person=person, ended_at__isnull=True).update(ended_at=now)
    ReferentAssignment.objects.create(
        person=person, referent=referent, structure=structure, started_at=now, assigned_by=by
    )
    pathway.referent, pathway.structure = referent, structure
    pathway.save(update_fields=["referent", "structure", "updated_at"])
    event(person=person, kind="referent.assigned", label=f"Référent unique : {referent} ({structure})", by=by)
    if moved_from is not None:
        event(person=person, kind="referent.moved", label=f"Fiche transférée de {moved_from} à {structure}", by=by)
    return pathway


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def pathway_transition(*, by: User, person: Person, target: str) -> Pathway:
    """Move the pathway to ``target`` (raises InvalidTransition when the state machine forbids it)."""
    pathway = locked_pathway(person)
    move_pathway(pathway, target, by=by)
    return pathway


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def target_job_add(*, by: User, person: Person, rome: RomeCode) -> TargetJob:
    """Add a target job coded with the ROME."""
    require(not TargetJob.objects.filter(person=person, rome=rome).exists(), _("Ce métier est déjà dans la liste."))
    job = TargetJob.objects.create(person=person, rome=rome)
    event(person=person, kind="job.added", label=f"Métier recherché : {rome}", by=by)
    return job


_CHILDREN = (
    Reperage,
    InformationNotice,
    Consent,
    ReferentAssignment,
    Frein,
    Mobilisation,
    Handoff,
    Contact,
    Exit,
    TimelineEvent,
)


@guarded(lambda by, **_: can_merge_people(by), gettext_lazy("Seule la coordination peut fusionner des fiches."))
@transaction.atomic
def person_merge(*, by: User, keep: Person, absorb: Person) -> Person:
    """Merge two records of the same person in one atomic operation: every history row of ``absorb`` moves to
    ``keep``, empty fields of ``keep`` are completed, then ``absorb`` is deleted. The kept pathway wins."""
    require(keep.pk != absorb.pk, _("Choisissez deux fiches différentes."))
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, absorb.pk])}
    require(len(locked) == 2, _("Une des deux fiches n'existe plus."))
    # Only one open referent period may remain: the absorbed one is closed first.
    ReferentAssignment.objects.filter(person=absorb, ended_at__isnull=True).update(ended_at=timezone.now())
    for model in _CHILDREN:
        model.objects.filter(person=absorb).update(person=keep)
    existing = set(TargetJob.objects.filter(person=keep).values_list("rome_id", flat=True))
    TargetJob.objects.filter(person=absorb).exclude(rome_id__in=existing).update(person=keep)
    for field in Person._meta.concrete_fields:
        if not field.primary_key and field.name != "public_id" and getattr(keep, field.attname) in ("", None):
            setattr(keep, field.attname, getattr(absorb, field.attname))
    label = f"Fusion avec la fiche {absorb.public_id} ({absorb}, état {absorb.pathway.get_state_display()})"
    absorb.delete()
    keep.save()
    event(person=keep, kind="person.merged", label=label, by=by)
    logger.info("fusion de fiches : %s absorbée dans %s par %s", absorb.public_id, keep.public_id, by.pk)
    return keep
