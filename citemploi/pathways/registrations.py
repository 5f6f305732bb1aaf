"""The pathways side of registrations to actions (issue 9 item 14): partners holds the registration, pathways
the link to the person followed (`PersonRegistration`). Writes and reads of that link go through here, with the
other links a merge must carry over that no foreign key shows (the audit trail, the access log)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.audit import history_move
from citemploi.core.models import AccessLog
from citemploi.partners.models import Action, ActionSession, Registration
from citemploi.partners.services import OfferError, registration_add
from citemploi.pathways.models import Pathway, Person, PersonRegistration


@transaction.atomic
def person_registration_add(
    *,
    by: User,
    action: Action,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    lives_in_qpv: bool | None = None,
    session: ActionSession | None = None,
    person_id: UUID | None = None,
) -> Registration:
    """Register someone to an action (partners' rules: capacity, cancelled action, who may register); when
    ``person_id`` names a record of the cohort that ``by`` may see, the registration is linked to it."""
    person = None
    if person_id:
        person = Person.objects.visible_to(by).filter(public_id=person_id).first()
        if person is None:
            raise OfferError(_("Personne introuvable parmi celles que vous pouvez consulter."))
    registration = registration_add(
        actor=by, action=action, first_name=first_name, last_name=last_name, email=email, phone=phone,
        lives_in_qpv=lives_in_qpv, session=session,
    )  # fmt: skip
    if person is not None:
        PersonRegistration.objects.create(person=person, registration=registration, linked_by=by)
    return registration


def followed_people(viewer: Any, registrations: Iterable[Registration]) -> dict[int, Person]:
    """For the registrations linked to a person the viewer may open: registration pk → person (one query).
    Links to people the viewer may not open are not even mentioned."""
    ids = [r.pk for r in registrations]
    if not ids:
        return {}
    visible = Person.objects.visible_to(viewer).values("pk")
    links = PersonRegistration.objects.filter(registration_id__in=ids, person__in=visible).select_related("person")
    return {link.registration_id: link.person for link in links}


def history_merge(*, absorbed: tuple[int, int, UUID], keep: Person) -> None:
    """Once the absorbed record (its pk, its pathway's pk, its public id) is deleted by a merge: its audit trail,
    deletion included, and its access-log rows join ``keep``'s, so that purging ``keep`` later scrubs the
    absorbed identity too."""
    person_pk, pathway_pk, public_id = absorbed
    history_move(Person, from_pk=person_pk, to_pk=keep.pk)
    history_move(Pathway, from_pk=pathway_pk, to_pk=keep.pathway.pk)
    AccessLog.objects.filter(record_type="pathways.person", record_id=str(public_id)).update(
        record_id=str(keep.public_id)
    )
