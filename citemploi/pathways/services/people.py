"""Services about the person: registration (with repérage), updates, address → QPV, information notice,
consents, referent, pathway state, target jobs, merge. Keyword-only, atomic, each writes the timeline."""

from __future__ import annotations

import logging
from datetime import date, datetime
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citemploi.accounts.models import Structure, User
from citemploi.accounts.permissions import is_caseworker, is_coordinator
from citemploi.core.errors import Conflict, NotFound, PermissionDenied
from citemploi.pathways import dates
from citemploi.pathways.milestones import FIELDS as MILESTONES
from citemploi.pathways.models import (
    Appointment,
    Consent,
    Contact,
    Exit,
    Frein,
    Handoff,
    InformationNotice,
    MergedRecord,
    Mobilisation,
    Pathway,
    Person,
    PersonRegistration,
    ReferentAssignment,
    RegistrationPeriod,
    Reperage,
    RomeCode,
    TargetJob,
    TimelineEvent,
    UnmetOrientation,
)
from citemploi.pathways.names import search_name
from citemploi.pathways.permissions import (
    can_merge_people,
    can_merge_records,
    can_register_person,
    referent_structures,
)
from citemploi.pathways.registrations import history_merge
from citemploi.pathways.replay import replayed_moment
from citemploi.pathways.services.common import (
    REFERENT_ONLY,
    Visibility,
    edits,
    event,
    guarded,
    locked_pathway,
    person_gone,
    require,
)
from citemploi.pathways.services.follow import pathway_follow, pathway_mark
from citemploi.pathways.services.inputs import PersonChanges, PersonFields
from citemploi.pathways.services.locating import Located, apply_located, locate_now

logger = logging.getLogger("citemploi.pathways")

SENSITIVE_FIELDS = frozenset({"rqth", "boe_title", "justice"})
_FIELD_LABELS = {f.name: str(f.verbose_name) for f in Person._meta.concrete_fields}
ADDRESS_FIELDS = ("address", "postcode", "city")


def _registers(*, by: User, structure: Structure, **_: object) -> bool:
    return bool(can_register_person(by)) and (is_coordinator(by) or structure.pk in by.structure_ids)


def person_merged_into(*, viewer: User, public_id: UUID) -> Person | None:
    """The record that absorbed the record ``public_id`` in a merge, if ``viewer`` may see it (else None: the
    absorbed identifier then answers like any unknown one)."""
    trail = MergedRecord.objects.filter(absorbed_id=public_id).values_list("into_id", flat=True).first()
    if trail is None:
        return None
    return Person.objects.visible_to(viewer).filter(pk=trail).first()


def _values(person: Person) -> dict[str, object]:
    return {f.name: getattr(person, f.attname) for f in Person._meta.concrete_fields if not f.primary_key}


def _derive(person: Person) -> None:
    person.search_name = search_name(person.first_name, person.last_name)
    person.birth_year = person.birth_date.year if person.birth_date else None


@guarded(_registers, gettext_lazy("Votre rôle ne permet pas d'enregistrer une personne."))
@transaction.atomic
def person_register(
    *,
    by: User,
    structure: Structure,
    channel: str,
    spotted_on: date,
    fields: PersonFields,
    place: str = "",
    locate: bool = True,
    located: Located | None = None,
) -> Person:
    """Register a spotted person: the record, its repérage and its pathway (state « repéré ») owned by
    ``structure``. The address is located in or out of a QPV when ``locate``; ``located`` is an answer already
    computed for it (a file's rows are geocoded and QPV-tagged in one batch, or carry their point)."""
    person = Person(**dict(fields.items()))
    dates.check_person(birth_date=person.birth_date, ft_registered_since=person.ft_registered_since)
    dates.check_past(spotted_on, field="spotted_on")
    _derive(person)
    at = replayed_moment(spotted_on)
    if at is not None:  # a record taken over: its retention clock starts at its real repérage, not at the import
        person.retention_from = at
    if located is not None:
        apply_located(person, located)
    elif locate:
        locate_now(person)  # never raises for a geocoder outage: « pending », retried in the background
    # Its milestones (citemploi.pathways.milestones): a new record has this one repérage and nothing else yet.
    person.first_spotted_on, person.first_channel = spotted_on, channel
    person.save(force_insert=True)
    Reperage.objects.create(
        person=person, channel=channel, spotted_on=spotted_on, place=place, spotted_by=by, structure=structure
    )
    Pathway.objects.create(person=person, structure=structure, **({"state_changed_at": at} if at else {}))
    event(
        person=person,
        kind="person.spotted",
        label=f"Repérage ({Reperage(channel=channel).get_channel_display()})",
        by=by,
        structure=structure,
        at=at,
    )
    return person


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def person_update(*, by: User, person: Person, changes: PersonChanges, version: int | None = None) -> Person:
    """Change identity, contact, address or situation; the address is located again when it changes.

    The row is locked and only the fields that differ from the stored row are written, so two edits of different
    fields both land. With ``version`` (the one the form or API client read) the edit is refused (``Conflict``)
    when someone saved the record meanwhile; an edit of a record merged meanwhile raises ``PersonMerged``.
    Returns the stored record."""
    locked = Person.objects.select_for_update(of=("self",)).filter(pk=person.pk).first()
    if locked is None:
        raise person_gone(person, by=by)
    if version is not None and version != locked.version:
        raise Conflict(
            _(
                "Cette fiche a été modifiée par quelqu'un d'autre pendant votre saisie : vos modifications n'ont "
                "pas été enregistrées. Rechargez la fiche pour voir la version actuelle, puis recommencez."
            )
        )
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    before = _values(locked)
    for name, value in changes.items():
        if name in changed:
            setattr(locked, name, value)
    dates.check_person(birth_date=locked.birth_date, ft_registered_since=locked.ft_registered_since)
    _derive(locked)
    if set(changed) & set(ADDRESS_FIELDS):
        locate_now(locked)
    locked.version += 1
    written = [name for name, value in _values(locked).items() if before[name] != value]
    locked.save(update_fields=[*written, "updated_at"])
    sensitive = bool(set(changed) & SENSITIVE_FIELDS)
    label = "Fiche modifiée : " + ", ".join(_FIELD_LABELS[n] for n in changed)
    event(
        person=locked,
        kind="person.update",
        label=label,
        by=by,
        visibility=Visibility.SENSITIVE if sensitive else Visibility.SHARED,
    )
    return locked


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
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


@guarded(lambda by, notice, **_: edits(by, notice.person), REFERENT_ONLY)
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


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
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


@guarded(lambda by, consent, **_: edits(by, consent.person), REFERENT_ONLY)
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


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def referent_assign(*, by: User, person: Person, referent: User, at: datetime | None = None) -> Pathway:
    """Make ``referent`` the single referent; the previous one's period is closed (history kept). The referent
    must hold a casework role in a structure the actor may name for (any for the coordinator, the actor's own
    otherwise); when the referent works in another structure, the record moves there (a timeline line says so).
    ``at``: the moment of the designation, when in the past (a history takeover)."""
    dates.check_past(at, field="assigned_at")
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
    now = at or timezone.now()
    ReferentAssignment.objects.filter(person=person, ended_at__isnull=True).update(ended_at=now)
    ReferentAssignment.objects.create(
        person=person, referent=referent, structure=structure, started_at=now, assigned_by=by
    )
    Person.objects.filter(pk=person.pk).refresh_milestones()
    pathway.referent, pathway.structure = referent, structure
    pathway.save(update_fields=["referent", "structure", "updated_at"])
    label = f"Référent unique : {referent} ({structure})"
    event(person=person, kind="referent.assigned", label=label, by=by, at=at)
    if moved_from is not None:
        label = f"Fiche transférée de {moved_from} à {structure}"
        event(person=person, kind="referent.moved", label=label, by=by, at=at)
    return pathway


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def pathway_transition(
    *, by: User, person: Person, target: str, reason: str = "", at: datetime | None = None
) -> Pathway:
    """Set « perdu de vue » or « refus » by hand, with a mandatory reason; the other states follow the records
    (citemploi.pathways.derivation). Raises InvalidTransition when the state machine forbids the move. ``at``: the
    moment of the decision, when in the past (a history takeover)."""
    dates.check_past(at, field="state_changed_at")
    return pathway_mark(by=by, person=person, target=target, reason=reason, at=at)


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
    PersonRegistration,
    Appointment,
    UnmetOrientation,
)
#: Relations to Person that `person_merge` handles (moved to the kept record; the absorbed pathway, the target jobs
#: the kept record already has and the duplicate reviews go with the absorbed record; the merge trail is pointed
#: at the kept record). Checked against the model registry by tests/pathways/test_person_relations.py.
MERGE_HANDLED_RELATIONS = frozenset(
    {f"{model._meta.label}.person" for model in _CHILDREN}
    | {"pathways.TargetJob.person", "pathways.Pathway.person", "pathways.MergedRecord.into"}
    # A duplicate review goes with the absorbed record (cascade): once merged, there is nothing left to check.
    | {"pathways.DuplicateReview.person", "pathways.DuplicateReview.candidate"}
    # An import's row points at the record for display only: SET_NULL when the absorbed record goes.
    | {"intake.ImportRow.linked", "intake.ImportRow.created"}
)


def _check_merge(by: User, kept: Person, gone: Person) -> None:
    """The merge rule on the locked rows (``permissions.can_merge_records``): a record the actor may not open
    answers like a missing one (NotFound, 404); two records it opens but may not merge, PermissionDenied (403)."""
    visible = set(Person.objects.visible_to(by).filter(pk__in=[kept.pk, gone.pk]).values_list("pk", flat=True))
    if visible != {kept.pk, gone.pk}:
        raise NotFound
    if not can_merge_records(by, kept, gone):
        raise PermissionDenied(str(_MERGE_REFUSED))


#: Never copied from the absorbed record into the kept one.
_NOT_COMPLETED = frozenset({"public_id", "version", "anonymised_at", "created_at", "updated_at", *MILESTONES})


def _may_try_merge(*, by: User, keep: Person, absorb: Person, **_: object) -> bool:
    """Before any lock: the coordinator, or a caseworker (the records themselves are checked once locked)."""
    return bool(can_merge_people(by)) or is_caseworker(by)


_MERGE_REFUSED = gettext_lazy("Seules la coordination et la structure référente des deux fiches peuvent les fusionner.")


@guarded(_may_try_merge, _MERGE_REFUSED)
@transaction.atomic
def person_merge(*, by: User, keep: Person, absorb: Person) -> Person:
    """Merge two records of the same person in one atomic operation: every history row of ``absorb`` moves to
    ``keep``, empty fields of ``keep`` are completed, then ``absorb`` is deleted (its identifier leads to
    ``keep``: see ``MergedRecord``). The kept pathway wins.

    Locks, always in this order so that a merge never deadlocks with another merge or the other services (which
    lock a pathway, then touch its person): both pathways, then both persons, each by ascending key. The
    values merged are those of the locked rows, never the callers' possibly stale instances."""
    require(keep.pk != absorb.pk, _("Choisissez deux fiches différentes."))
    pks = sorted([keep.pk, absorb.pk])
    list(Pathway.objects.select_for_update(of=("self",)).filter(person_id__in=pks).order_by("person_id"))
    locked = {p.pk: p for p in Person.objects.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk")}
    require(len(locked) == 2, _("Une des deux fiches n'existe plus."))
    kept, gone = locked[keep.pk], locked[absorb.pk]
    _check_merge(by, kept, gone)
    # Only one open referent period may remain: the absorbed one is closed first.
    ReferentAssignment.objects.filter(person=gone, ended_at__isnull=True).update(ended_at=timezone.now())
    for model in _CHILDREN:
        model.objects.filter(person=gone).update(person=kept)
    existing = set(TargetJob.objects.filter(person=kept).values_list("rome_id", flat=True))
    TargetJob.objects.filter(person=gone).exclude(rome_id__in=existing).update(person=kept)
    MergedRecord.objects.filter(into=gone).update(into=kept)
    MergedRecord.objects.create(absorbed_id=gone.public_id, into=kept)
    completed = []
    for field in Person._meta.concrete_fields:
        if field.primary_key or field.name in _NOT_COMPLETED:
            continue
        if getattr(kept, field.attname) in ("", None) and getattr(gone, field.attname) not in ("", None):
            setattr(kept, field.attname, getattr(gone, field.attname))
            completed.append(field.name)
    label = f"Fusion avec la fiche {gone.public_id} ({gone}, état {gone.pathway.get_state_display()})"
    absorbed = (gone.pk, gone.pathway.pk, gone.public_id)
    gone.delete()
    history_merge(absorbed=absorbed, keep=kept)
    kept.version += 1
    kept.save(update_fields=[*completed, "version", "updated_at"])
    Person.objects.filter(pk=kept.pk).refresh_milestones()  # the absorbed record's history is the kept one's now
    event(person=kept, kind="person.merged", label=label, by=by)
    logger.info("fusion de fiches : %s absorbée dans %s par %s", gone.public_id, kept.public_id, by.pk)
    return kept
