"""State changes of the census: profiles, services, actions, moderation, registrations (DESIGN.md §3.1).

Moderation: a partner's proposal never changes what is published. A new entry is stored unpublished with a
pending `Revision`; a change to a published entry only fills the pending revision. The coordinator approves
(values applied, entry published) or rejects. The coordinator's own edits are applied and published at once.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Final, Self, TypeAlias

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.partners.models import (
    Action,
    ActionFunder,
    ActionSession,
    LocatedModel,
    OpeningSlot,
    Registration,
    Revision,
    RevisionStatus,
    Service,
    StructureProfile,
)
from citemploi.partners.permissions import can_edit_structure_offer, can_manage_registrations, can_moderate
from citemploi.territory.models import QPV

PLACE_FIELDS = ("address", "complement_adresse", "postcode", "city")
SERVICE_FIELDS = (
    "name", "description", "type", "thematiques", "publics", "publics_precisions", "conditions_acces", "frais",
    "frais_precisions", "modes_accueil", "modes_mobilisation", "mobilisable_par", "mobilisation_precisions",
    "lien_mobilisation", "zone_eligibilite", "contact_nom_prenom", "telephone", "courriel", "horaires_accueil",
    "volume_horaire_hebdomadaire", "nombre_semaines", *PLACE_FIELDS,
)  # fmt: skip
ACTION_FIELDS = (
    "title", "kind", "description", "axis", "starts_on", "ends_on", "place_name", *PLACE_FIELDS, "publics",
    "thematiques", "capacity", "status", "is_public", "partners", "qpvs_served",
)  # fmt: skip
PROFILE_FIELDS = (
    "reseaux_porteurs", "description", "website", "accessibility_url", "contact_name", "contact_email",
    "contact_phone", "hours_note", *PLACE_FIELDS,
)  # fmt: skip


class OfferError(InvalidTransition):
    """A state change that the rules forbid; the message is shown to the user."""


# --- Inputs: one frozen dataclass per write -----------------------------------------------------------------------


class _Unset(enum.Enum):
    UNSET = "unset"


#: A field of a change set left out: not written (a partial update, an API PATCH).
UNSET: Final = _Unset.UNSET

#: The JSON-ready values stored in a revision (``Revision.data``) and compared by ``revision_diff``.
Snapshot: TypeAlias = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class _Changes:
    """Values to write; every field defaults to ``UNSET`` (left as it is)."""

    def changed(self) -> Snapshot:
        """The fields given, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not UNSET}

    @classmethod
    def of(cls, values: Mapping[str, object]) -> Self:
        """The change set of a form's or a serializer's cleaned values; an unknown field is refused."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise OfferError(_("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
        return cls(**values)  # the values were checked by the form or the serializer


@dataclass(frozen=True, kw_only=True)
class PlaceChanges(_Changes):
    address: str | _Unset = UNSET
    complement_adresse: str | _Unset = UNSET
    postcode: str | _Unset = UNSET
    city: str | _Unset = UNSET


@dataclass(frozen=True, kw_only=True)
class ServiceChanges(PlaceChanges):
    """A service's editable values (data·inclusion's schema, SERVICE_FIELDS)."""

    name: str | _Unset = UNSET
    description: str | _Unset = UNSET
    type: str | _Unset = UNSET
    thematiques: list[str] | _Unset = UNSET
    publics: list[str] | _Unset = UNSET
    publics_precisions: str | _Unset = UNSET
    conditions_acces: str | _Unset = UNSET
    frais: str | _Unset = UNSET
    frais_precisions: str | _Unset = UNSET
    modes_accueil: list[str] | _Unset = UNSET
    modes_mobilisation: list[str] | _Unset = UNSET
    mobilisable_par: list[str] | _Unset = UNSET
    mobilisation_precisions: str | _Unset = UNSET
    lien_mobilisation: str | _Unset = UNSET
    zone_eligibilite: list[str] | None | _Unset = UNSET
    contact_nom_prenom: str | _Unset = UNSET
    telephone: str | _Unset = UNSET
    courriel: str | _Unset = UNSET
    horaires_accueil: str | _Unset = UNSET
    volume_horaire_hebdomadaire: float | None | _Unset = UNSET
    nombre_semaines: int | None | _Unset = UNSET


@dataclass(frozen=True, kw_only=True)
class ActionChanges(PlaceChanges):
    """An action's editable values (ACTION_FIELDS); partners and QPV served as objects."""

    title: str | _Unset = UNSET
    kind: str | _Unset = UNSET
    description: str | _Unset = UNSET
    axis: int | _Unset = UNSET
    starts_on: dt.date | None | _Unset = UNSET
    ends_on: dt.date | None | _Unset = UNSET
    place_name: str | _Unset = UNSET
    publics: list[str] | _Unset = UNSET
    thematiques: list[str] | _Unset = UNSET
    capacity: int | None | _Unset = UNSET
    status: str | _Unset = UNSET
    is_public: bool | _Unset = UNSET
    partners: Iterable[Structure] | _Unset = UNSET
    qpvs_served: Iterable[QPV] | _Unset = UNSET


@dataclass(frozen=True, kw_only=True)
class ProfileChanges(PlaceChanges):
    """A structure's public profile (PROFILE_FIELDS), plus what imports and the demo set (PROFILE_SYSTEM_FIELDS)."""

    reseaux_porteurs: list[str] | _Unset = UNSET
    description: str | _Unset = UNSET
    website: str | _Unset = UNSET
    accessibility_url: str | _Unset = UNSET
    contact_name: str | _Unset = UNSET
    contact_email: str | _Unset = UNSET
    contact_phone: str | _Unset = UNSET
    hours_note: str | _Unset = UNSET
    longitude: float | None | _Unset = UNSET
    latitude: float | None | _Unset = UNSET
    insee_code: str | _Unset = UNSET
    opening_hours: str | _Unset = UNSET
    source: str | _Unset = UNSET
    source_id: str | _Unset = UNSET
    lien_source: str | _Unset = UNSET
    date_maj: dt.date | None | _Unset = UNSET
    is_published: bool | _Unset = UNSET


# --- Places ------------------------------------------------------------------------------------------------


def place_locate(place: LocatedModel) -> None:
    """Fill coordinates and the QPV answer of a place (not saved).

    With coordinates (an import from data·inclusion brings them) the point is tested against the perimeters;
    with an address only, it is geocoded first. The territory module owns both steps (DOMAIN.md §2).
    """
    from citemploi.territory import lookup

    if place.has_point:
        answer = lookup.locate(place.longitude, place.latitude, place.insee_code or None)  # type: ignore[arg-type]
    elif place.address or place.city:
        from citemploi.territory.geocoding import GeocoderError
        from citemploi.territory.services import address_locate

        try:
            result, answer = address_locate(place.address, postcode=place.postcode, city=place.city)
        except GeocoderError:
            return  # geocoder unavailable: the entry is saved unlocated (shown "non localisé"), never blocked
        if result is not None:
            place.longitude, place.latitude = result.lon, result.lat
            place.geocode_label, place.geocode_score = result.label, result.score
            place.insee_code = place.insee_code or result.insee_code
            place.postcode = place.postcode or result.postcode
            place.city = place.city or result.city
    else:
        return
    place.qpv_status = answer.status
    place.qpv_code, place.qpv_name = answer.qpv_code, answer.qpv_name
    place.qpv_generation, place.qpv_distance_m = answer.generation, answer.distance_m
    place.qpv_near_boundary = answer.near_boundary
    place.located_at = timezone.now()


def _place_changed(obj: LocatedModel, values: Snapshot) -> bool:
    return any(k in values and values[k] != getattr(obj, k) for k in PLACE_FIELDS)


def _reset_point(obj: LocatedModel) -> None:
    obj.longitude = obj.latitude = None
    obj.insee_code = ""


# --- Snapshots (what a revision stores) ----------------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_to_json(v) for v in value)
    if isinstance(value, Structure):
        return str(value.public_id)
    if isinstance(value, QPV):
        return value.code
    return value


def snapshot(obj: Service | Action) -> Snapshot:
    """The editable values of an entry, JSON-ready (M2M as public ids / QPV codes)."""
    fields = SERVICE_FIELDS if isinstance(obj, Service) else ACTION_FIELDS
    data = {}
    for name in fields:
        if name == "partners":
            data[name] = sorted(str(s.public_id) for s in obj.partners.all()) if obj.pk else []  # type: ignore[union-attr]
        elif name == "qpvs_served":
            data[name] = sorted(q.code for q in obj.qpvs_served.all()) if obj.pk else []  # type: ignore[union-attr]
        else:
            data[name] = _to_json(getattr(obj, name))
    return data


def _from_json(model: type[models.Model], name: str, value: Any) -> Any:
    field = model._meta.get_field(name)
    if value in (None, "") and isinstance(field, models.DateField):
        return None
    if isinstance(field, models.DateField) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _apply(obj: Service | Action, data: Snapshot) -> None:
    """Write proposed values onto the entry, locate it again when its address changed, save."""
    values = {k: _from_json(type(obj), k, v) for k, v in data.items() if k not in {"partners", "qpvs_served"}}
    if _place_changed(obj, values):
        _reset_point(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    if not obj.has_point and (obj.address or obj.city):
        place_locate(obj)
    if isinstance(obj, Service):
        obj.date_maj = timezone.localdate()  # data·inclusion's "last modified at the producer"
    obj.full_clean(exclude=["structure", "carrier"])
    obj.save()
    if isinstance(obj, Action):
        if "partners" in data:
            obj.partners.set(Structure.objects.filter(public_id__in=data["partners"]))
        if "qpvs_served" in data:
            obj.qpvs_served.set(QPV.objects.filter(code__in=data["qpvs_served"]))


def _clean_data(changes: ServiceChanges | ActionChanges) -> Snapshot:
    data = changes.changed()
    publics = data.get("publics") or []
    if "tous-publics" in publics and len(publics) > 1:
        raise ValidationFailed(_("« Tous publics » ne se combine pas avec d'autres publics."))
    return {k: _to_json(v) for k, v in data.items()}


def _propose(*, actor: User, entry: Service | Action, data: Snapshot, is_new: bool) -> Revision:
    """Store a partner's proposal: one pending revision per entry, updated when the partner edits again."""
    target = {"service": entry} if isinstance(entry, Service) else {"action": entry}
    revision = Revision.objects.select_for_update(of=("self",)).filter(status=RevisionStatus.PENDING, **target).first()
    if revision is None:
        before = {} if is_new else snapshot(entry)
        revision = Revision(author=actor, before=before, data={}, **target)
    revision.data = {**revision.data, **data} if not is_new else data
    revision.author = actor
    revision.save()
    return revision


def _record(*, actor: User, entry: Service | Action, data: Snapshot, is_new: bool) -> None:
    """Apply and publish a coordinator's edit; keep a partner's edit as a proposal awaiting moderation."""
    if is_coordinator(actor):
        _apply(entry, data)
        entry.is_published = True
        entry.save(update_fields=["is_published", "updated_at"])
        return
    if is_new or not entry.is_published:
        _apply(entry, data)  # not public yet: the row itself holds the proposal
    _propose(actor=actor, entry=entry, data=data, is_new=is_new)


# --- Services -------------------------------------------------------------------------------------------------


@transaction.atomic
def service_submit(
    *, actor: User, structure: Structure, changes: ServiceChanges, service: Service | None = None
) -> Service:
    """Create or change a service of ``structure``: applied by the coordinator, proposed by a partner."""
    if not can_edit_structure_offer(actor, structure):
        raise PermissionDenied
    if service is not None and service.structure_id != structure.pk:
        raise PermissionDenied
    data = _clean_data(changes)
    # Re-read: a bound ModelForm may have changed the in-memory instance already.
    entry = (
        Service.objects.select_for_update(of=("self",)).get(pk=service.pk) if service else Service(structure=structure)
    )
    _record(actor=actor, entry=entry, data=data, is_new=service is None)
    return entry


@transaction.atomic
def action_submit(*, actor: User, carrier: Structure, changes: ActionChanges, action: Action | None = None) -> Action:
    """Create or change an action carried by ``carrier``: applied by the coordinator, proposed by a partner."""
    if not can_edit_structure_offer(actor, carrier):
        raise PermissionDenied
    if action is not None and action.carrier_id != carrier.pk:
        raise PermissionDenied
    data = _clean_data(changes)
    entry = Action.objects.select_for_update(of=("self",)).get(pk=action.pk) if action else Action(carrier=carrier)
    _record(actor=actor, entry=entry, data=data, is_new=action is None)
    return entry


# --- Moderation -----------------------------------------------------------------------------------------------


def _pending(revision: Revision) -> Revision:
    locked = Revision.objects.select_for_update(of=("self",)).get(pk=revision.pk)
    if locked.status != RevisionStatus.PENDING:
        raise OfferError(_("Cette proposition a déjà été examinée."))
    return locked


@transaction.atomic
def revision_approve(*, actor: User, revision: Revision, comment: str = "") -> Revision:
    """Apply the proposed values to the entry and publish it."""
    if not can_moderate(actor):
        raise PermissionDenied
    revision = _pending(revision)
    entry = revision.target
    try:
        _apply(entry, revision.data)
    except ValidationError as error:
        message = _("La proposition n'est plus valide : %(errors)s") % {"errors": "; ".join(error.messages)}
        raise OfferError(message) from error
    entry.is_published = True
    entry.save(update_fields=["is_published", "updated_at"])
    return _close(revision, actor=actor, status=RevisionStatus.APPROVED, comment=comment)


@transaction.atomic
def revision_reject(*, actor: User, revision: Revision, comment: str) -> Revision:
    """Refuse the proposal (a reason is required); the published entry stays as it was."""
    if not can_moderate(actor):
        raise PermissionDenied
    if not comment.strip():
        raise OfferError(_("Indiquez le motif du refus : il est transmis à la structure."))
    return _close(_pending(revision), actor=actor, status=RevisionStatus.REJECTED, comment=comment)


def _close(revision: Revision, *, actor: User, status: str, comment: str) -> Revision:
    revision.status, revision.reviewer, revision.reviewed_at, revision.comment = status, actor, timezone.now(), comment
    revision.save(update_fields=["status", "reviewer", "reviewed_at", "comment", "updated_at"])
    return revision


def revision_diff(revision: Revision) -> list[tuple[str, Any, Any]]:
    """(field label, published value, proposed value) for each field the proposal changes."""
    model = Service if revision.service_id else Action
    # While pending, compare with what is published now; once examined, with what was published then.
    pending = revision.status == RevisionStatus.PENDING and revision.target.is_published
    before = snapshot(revision.target) if pending else revision.before
    rows = []
    for name, proposed in revision.data.items():
        old = before.get(name)
        if _to_json(old) != proposed and not (old in (None, "", []) and proposed in (None, "", [])):
            rows.append((str(getattr(model._meta.get_field(name), "verbose_name", name)), old, proposed))
    return rows


# --- Profiles -------------------------------------------------------------------------------------------------

#: Profile fields set by imports, the demo or the service itself, on top of the form's PROFILE_FIELDS.
PROFILE_SYSTEM_FIELDS = frozenset(
    {
        "longitude",
        "latitude",
        "insee_code",
        "opening_hours",
        "source",
        "source_id",
        "lien_source",
        "date_maj",
        "is_published",
    }
)


@transaction.atomic
def profile_save(
    *,
    actor: User | None,
    structure: Structure,
    changes: ProfileChanges,
    slots: list[tuple[int, dt.time, dt.time]] | None = None,
    qpv_codes: list[str] | None = None,
    geocode: bool = True,
) -> StructureProfile:
    """Create or update a structure's public profile (coordinator; ``actor=None`` for imports and demo).

    ``geocode=False`` (batch imports): only places that come with coordinates are located."""
    if actor is not None and not can_moderate(actor):
        raise PermissionDenied
    data = changes.changed()
    profile = StructureProfile.objects.filter(structure=structure).first() or StructureProfile(structure=structure)
    if _place_changed(profile, data) and "longitude" not in data:
        _reset_point(profile)
    for key, value in data.items():
        setattr(profile, key, value)
    if not profile.address and not profile.city:
        profile.address, profile.postcode, profile.city = structure.address, structure.postcode, structure.city
        profile.insee_code = profile.insee_code or structure.insee_code
    locatable = profile.has_point or (geocode and bool(profile.address or profile.city))
    if locatable and (profile.located_at is None or "longitude" in data or not profile.has_point):
        place_locate(profile)
    if slots is not None and "opening_hours" not in data:
        from citemploi.partners.hours import slots_to_osm

        profile.opening_hours = slots_to_osm(slots)
    if "date_maj" not in data:
        profile.date_maj = timezone.localdate()
    profile.full_clean(exclude=["structure"])
    profile.save()
    _profile_relations_set(profile, slots=slots, qpv_codes=qpv_codes)
    return profile


def _profile_relations_set(
    profile: StructureProfile, *, slots: list[tuple[int, dt.time, dt.time]] | None, qpv_codes: list[str] | None
) -> None:
    """Replace the opening slots and the QPV served, when given (None leaves them as they are)."""
    if slots is not None:
        profile.slots.all().delete()
        OpeningSlot.objects.bulk_create(OpeningSlot(profile=profile, weekday=d, opens=o, closes=c) for d, o, c in slots)
    if qpv_codes is not None:
        profile.qpvs_served.set(QPV.objects.filter(code__in=qpv_codes))


# --- Operations on an action: funders, sessions, registrations, attendance, results ---------------------------


def _check_action(actor: User, action: Action) -> None:
    if not (can_edit_structure_offer(actor, action.carrier) or can_manage_registrations(actor, action)):
        raise PermissionDenied


@transaction.atomic
def action_funder_add(*, actor: User, action: Action, name: str, amount: Decimal | None) -> ActionFunder:
    """Record a funder of the action and its amount."""
    _check_action(actor, action)
    funder = ActionFunder(action=action, name=name.strip(), amount=amount)
    funder.full_clean()
    funder.save()
    return funder


@transaction.atomic
def action_funder_remove(*, actor: User, funder: ActionFunder) -> None:
    """Remove a funding line."""
    _check_action(actor, funder.action)
    funder.delete()


@transaction.atomic
def action_session_add(
    *, actor: User, action: Action, starts_at: dt.datetime, ends_at: dt.datetime, note: str = ""
) -> ActionSession:
    """Add a dated session to the action."""
    _check_action(actor, action)
    if ends_at <= starts_at:
        raise OfferError(_("La séance doit finir après son début."))
    return ActionSession.objects.create(action=action, starts_at=starts_at, ends_at=ends_at, note=note)


@transaction.atomic
def registration_add(
    *,
    actor: User,
    action: Action,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    lives_in_qpv: bool | None = None,
    session: ActionSession | None = None,
) -> Registration:
    """Register a person to the action; refused when the action is full or cancelled. Linking the registrant to
    a person followed in a pathway is pathways' job (`pathways.registrations.person_registration_add`)."""
    if not can_manage_registrations(actor, action):
        raise PermissionDenied
    action = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if action.status == "cancelled":
        raise OfferError(_("Cette action est annulée : les inscriptions sont closes."))
    if action.capacity is not None and action.registrations.count() >= action.capacity:
        raise OfferError(_("L'action est complète (%(capacity)s places).") % {"capacity": action.capacity})
    registration = Registration(
        action=action, registered_by=actor, first_name=first_name, last_name=last_name, email=email, phone=phone,
        lives_in_qpv=lives_in_qpv, session=session,
    )  # fmt: skip
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def attendance_record(*, actor: User, action: Action, attendance: dict[str, str]) -> int:
    """Record attendance for several registrations at once ({registration public id: status}); returns changes."""
    if not can_manage_registrations(actor, action):
        raise PermissionDenied
    changed = 0
    for registration in action.registrations.filter(public_id__in=list(attendance)):
        status = attendance[str(registration.public_id)]
        if registration.attendance != status:
            registration.attendance = status
            registration.save(update_fields=["attendance", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def action_results_record(
    *, actor: User, action: Action, people_reached: int | None, people_from_qpv: int | None, outcomes: str, status: str
) -> Action:
    """Record the results of an action (operational data: not moderated)."""
    _check_action(actor, action)
    if people_reached is not None and people_from_qpv is not None and people_from_qpv > people_reached:
        raise OfferError(_("Les habitants des QPV ne peuvent pas dépasser le nombre de personnes touchées."))
    action.people_reached, action.people_from_qpv, action.outcomes, action.status = (
        people_reached,
        people_from_qpv,
        outcomes,
        status,
    )
    action.full_clean(exclude=["carrier"])
    action.save(update_fields=["people_reached", "people_from_qpv", "outcomes", "status", "updated_at"])
    return action
