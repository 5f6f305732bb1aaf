"""Access rules of the receiver's side of a hand-off, the agenda and its iCal export (issue 10, item 7).

They live here, beside tests/pathways/authz.py: the setup sends a hand-off of the referent's person to a Mission
Locale outside the personas, acknowledged, with a planned appointment. Answering belongs to the receiving
structure and the coordinator: the sender gets 403; the outsider, who cannot see the record, 404."""

from __future__ import annotations

import datetime as dt

from tests.authz import Access
from tests.pathways.authz import CASEWORK, RECORD, RECORD_DENIED

ANSWER_DENIED = {**RECORD_DENIED, "referent": 403, "colleague": 403}


def setup(world) -> None:
    from django.utils import timezone

    from citemploi.accounts.models import Role
    from citemploi.pathways import services
    from citemploi.pathways.services import appointments
    from tests.factories.accounts import StructureFactory, user_with_role
    from tests.factories.pathways import make_person

    if "appointment" in world.objects:
        return
    referent = world.users["referent"]
    person = make_person(by=referent)
    receiver_structure = StructureFactory(mission_locale=True, name="Mission Locale du rendez-vous")
    receiver = user_with_role(Role.PARTNER_REFERENT, receiver_structure, email="ml-rdv@exemple.test")
    handoff = services.handoff_send(
        by=referent, person=person, to_structure=receiver_structure, reason="CEJ", shared=["contact"]
    )
    services.handoff_acknowledge(by=receiver, handoff=handoff)
    appointment = appointments.appointment_plan(
        by=receiver, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=7)
    )
    world.objects.update(rdv_person=person, rdv_handoff=handoff, appointment=appointment)


def _handoff(w) -> dict:
    return {"public_id": w.objects["rdv_person"].public_id, "handoff_id": w.objects["rdv_handoff"].public_id}


def _appointment(w) -> dict:
    return {"public_id": w.objects["rdv_person"].public_id, "appointment_id": w.objects["appointment"].public_id}


def _answer(kwargs) -> Access:
    return Access(allowed=RECORD, denied=404, kwargs=kwargs, overrides=ANSWER_DENIED)


RULES = {
    "pathways:alerts": Access(allowed=CASEWORK),
    "pathways:agenda": Access(allowed=CASEWORK),
    "pathways:agenda_ical": Access(allowed=CASEWORK),
    "pathways:appointment_plan": _answer(_handoff),
    "pathways:handoff_reply": _answer(_handoff),
    "pathways:appointment_hold": _answer(_appointment),
    "pathways:appointment_cancel": _answer(_appointment),
}
