"""Services about the person: registration (with repérage), updates, address → QPV, information notice,
consents, referent, pathway state, target jobs, merge. Keyword-only, atomic, each writes the timeline."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, User
from citemploi.pathways import dates
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
    RegistrationPeriod,
    Reperage,
    RomeCode,
    TargetJob,
    TimelineEvent,
)
from citemploi.pathways.services.common import (
    Visibility,
    event,
    locked_pathway,
    own_structure,
    require,
)
from citemploi.pathways.services.follow import pathway_follow, pathway_mark
from citemploi.pathways.services.locating import locate_now
from citemploi.pathways.utils import search_name

logger = logging.getLogger("citemploi.pathways")

SENSITIVE_FIELDS = frozenset({"rqth", "boe_title", "justice"})
_FIELD_LABELS = {f.name: str(f.verbose_name) for f in Person._meta.concrete_fields}
ADDRESS_FIELDS = ("address", "postcode", "city")


def _locate(person: Person) -> list[str]:
    """Locate the address in or out of a QPV (not saved; territory app, never from the postcode alone except for a
    commune without any QPV). Never raises for a geocoder outage: the answer is then « pending » and a background
    task tries again (pathways.services.locating). Returns the fields to save (``update_fields``)."""
    return locate_now(person)


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
    dates.check_person(birth_date=person.birth_date, ft_registered_since=person.ft_registered_since)
    dates.check_past(spotted_on, field="spotted_on")
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


@transaction.atomic
def person_update(*, by: User, person: Person, **fields: Any) -> Person:
    """Change identity, contact, address or situation; the address is located again when it changes."""
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, fields[name])
    if not changed:
        return person
    dates.check_person(birth_date=person.birth_date, ft_registered_since=person.ft_registered_since)
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


@transaction.atomic
def notice_record(*, by: User, person: Person, informed_on: date, notice_version: str) -> InformationNotice:
    """The person was given the information notice (who, when, which version)."""
    dates.check_past(informed_on, field="informed_on")
    notice = InformationNotice.objects.create(
        person=person, informed_on=informed_on, informed_by=by, notice_version=notice_version
    )
    event(person=person, kind="notice.given", label=f"Notice d'information remise (version {notice_version})", by=by)
    pathway_follow(by=by, person=person)
    return notice


@transaction.atomic
def notice_object(*, by: User, notice: InformationNotice, objected_on: date, reason: str = "") -> InformationNotice:
    """The person objects to the processing: recorded; the referent then closes the pathway as a refusal."""
    require(notice.objected_on is None, _("L'opposition est déjà enregistrée."))
    dates.check_past(objected_on, field="objected_on")
    dates.check_not_before(
        objected_on,
        notice.informed_on,
        field="objected_on",
        message=_("L'opposition ne peut pas précéder la remise de la notice (%(date)s)."),
    )
    notice.objected_on, notice.objection_reason = objected_on, reason
    notice.save(update_fields=["objected_on", "objection_reason", "updated_at"])
    event(person=notice.person, kind="notice.objection", label="Opposition au traitement enregistrée", by=by)
    return notice


@transaction.atomic
def consent_give(*, by: User, person: Person, partner: Structure, given_on: date) -> Consent:
    """Consent to share with one partner (needed for associations not bound by professional secrecy)."""
    require(
        not Consent.objects.filter(person=person, partner=partner, revoked_on__isnull=True).exists(),
        _("Un consentement est déjà en cours pour %(partner)s.") % {"partner": partner},
    )
    dates.check_past(given_on, field="given_on")
    consent = Consent.objects.create(person=person, partner=partner, given_on=given_on, recorded_by=by)
    event(person=person, kind="consent.given", label=f"Consentement au partage avec {partner}", by=by)
    pathway_follow(by=by, person=person)
    return consent


@transaction.atomic
def consent_revoke(*, by: User, consent: Consent, revoked_on: date) -> Consent:
    """The person withdraws a consent."""
    require(consent.revoked_on is None, _("Ce consentement est déjà retiré."))
    dates.check_past(revoked_on, field="revoked_on")
    dates.check_not_before(
        revoked_on,
        consent.given_on,
        field="revoked_on",
        message=_("Le retrait ne peut pas précéder le consentement (%(date)s)."),
    )
    consent.revoked_on = revoked_on
    consent.save(update_fields=["revoked_on", "updated_at"])
    event(person=consent.person, kind="consent.revoked", label=f"Consentement retiré ({consent.partner})", by=by)
    return consent


@transaction.atomic
def referent_assign(*, by: User, person: Person, referent: User) -> Pathway:
    """Make ``referent`` the single referent; the previous one's period is closed (history kept). The record
    moves to the referent's structure."""
    pathway = locked_pathway(person)
    structure = own_structure(referent, _("Ce référent n'appartient à aucune structure."))
    require(pathway.referent_id != referent.pk, _("%(referent)s est déjà le référent unique.") % {"referent": referent})
    now = timezone.now()
    ReferentAssignment.objects.filter(person=person, ended_at__isnull=True).update(ended_at=now)
    ReferentAssignment.objects.create(
        person=person, referent=referent, structure=structure, started_at=now, assigned_by=by
    )
    pathway.referent, pathway.structure = referent, structure
    pathway.save(update_fields=["referent", "structure", "updated_at"])
    event(person=person, kind="referent.assigned", label=f"Référent unique : {referent} ({structure})", by=by)
    return pathway


@transaction.atomic
def pathway_transition(*, by: User, person: Person, target: str, reason: str = "") -> Pathway:
    """Set « perdu de vue » or « refus » by hand, with a mandatory reason; the other states follow the records
    (citemploi.pathways.derivation). Raises InvalidTransition when the state machine forbids the move."""
    return pathway_mark(by=by, person=person, target=target, reason=reason)


@transaction.atomic
def target_job_add(*, by: User, person: Person, rome: RomeCode) -> TargetJob:
    """Add a target job coded with the ROME."""
    require(not TargetJob.objects.filter(person=person, rome=rome).exists(), _("Ce métier est déjà dans la liste."))
    job = TargetJob.objects.create(person=person, rome=rome)
    event(person=person, kind="job.added", label=f"Métier recherché : {rome}", by=by)
    return job


_CHILDREN = (
    Reperage,
    RegistrationPeriod,
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
