"""The receiver's side of a hand-off (issue 10, item 7): plan the first meeting, record it held, reply.

- `appointment_plan`: the receiving structure plans the first meeting (a date ahead: « rendez-vous prévu »); planning
  again moves the planned meeting (one planned meeting per hand-off, a database constraint).
- `appointment_hold`: the meeting took place: it is recorded as a contact of the receiving structure, the hand-off
  moves to « premier rendez-vous tenu », and in the same step the receiver may move the scheme mobilisation the
  hand-off runs, add a frein category and reply to the sender.
- `appointment_cancel`: the planned meeting will not take place (the hand-off stays acknowledged).
- `handoff_reply`: a short message to the sender (`REPLY_MAX_LENGTH`), shown on the hand-off to both structures.

Each service checks that the actor answers for the receiving structure (or is the coordinator); lock order is
hand-off → appointment → pathway → mobilisation, as `handoff_first_meeting`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.pathways.choices import ContactKind, FreinTheme
from citemploi.pathways.models import Appointment, AppointmentState, Handoff, HandoffReply, Mobilisation
from citemploi.pathways.models.appointment import REPLY_MAX_LENGTH
from citemploi.pathways.permissions import can_answer_handoff
from citemploi.pathways.services.actions import (
    contact_record,
    frein_identify,
    handoff_first_meeting,
    mobilisation_transition,
)
from citemploi.pathways.services.common import event, own_structure
from citemploi.pathways.states import LIVE_HANDOFF_STATES, HandoffState, MobilisationState, allowed_targets

#: What the receiver may make of the linked mobilisation when the meeting is held (the path walked to reach it).
MOBILISATION_PATHS: dict[str, tuple[str, ...]] = {
    MobilisationState.ACCEPTED: (MobilisationState.ACCEPTED,),
    MobilisationState.ENTERED: (MobilisationState.ACCEPTED, MobilisationState.ENTERED),
    MobilisationState.REFUSED: (MobilisationState.REFUSED,),
}


def _local(value: datetime) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"


def _answering(by: User, handoff: Handoff) -> Handoff:
    """The hand-off, locked, once ``by`` is allowed to answer for the receiving structure."""
    if not can_answer_handoff(by, handoff):
        raise PermissionDenied(_("Seule la structure destinataire de l'orientation peut faire cette action."))
    return (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("person", "to_structure", "from_structure", "mobilisation__scheme")
        .get(pk=handoff.pk)
    )


@transaction.atomic
def appointment_plan(*, by: User, handoff: Handoff, starts_at: datetime, place: str = "") -> Appointment:
    """Plan (or move) the first meeting of an acknowledged hand-off, at a date and time ahead."""
    handoff = _answering(by, handoff)
    if handoff.state == HandoffState.SENT:
        raise InvalidTransition(_("Accusez réception de l'orientation avant de prévoir le premier rendez-vous."))
    if handoff.state != HandoffState.ACKNOWLEDGED:
        raise InvalidTransition(
            _("Cette orientation est à l'état « %(state)s » : aucun rendez-vous ne peut plus être prévu.")
            % {"state": handoff.get_state_display()}
        )
    if starts_at <= timezone.now():
        raise ValidationFailed(
            _("Un rendez-vous prévu est dans le futur : pour un rendez-vous passé, enregistrez-le comme tenu."),
            field="starts_at",
        )
    place = place.strip()[:200]
    planned = (
        Appointment.objects.select_for_update(of=("self",))
        .filter(handoff=handoff, state=AppointmentState.PLANNED)
        .first()
    )
    if planned is not None:
        planned.starts_at, planned.place, planned.planned_by = starts_at, place, by
        planned.save(update_fields=["starts_at", "place", "planned_by", "updated_at"])
        label = f"Premier rendez-vous déplacé au {_local(starts_at)} ({handoff.to_structure})"
        kind = "appointment.moved"
    else:
        planned = Appointment.objects.create(
            handoff=handoff,
            person=handoff.person,
            structure=handoff.to_structure,
            starts_at=starts_at,
            place=place,
            planned_by=by,
        )
        label = f"Premier rendez-vous prévu le {_local(starts_at)} ({handoff.to_structure})"
        kind = "appointment.planned"
    event(person=handoff.person, kind=kind, label=label, by=by, structure=handoff.to_structure)
    return planned


def _planned(appointment: Appointment) -> Appointment:
    appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    if appointment.state != AppointmentState.PLANNED:
        raise InvalidTransition(
            _("Ce rendez-vous est déjà « %(state)s ».") % {"state": appointment.get_state_display()}
        )
    return appointment


@transaction.atomic
def appointment_cancel(*, by: User, appointment: Appointment) -> Appointment:
    """The planned meeting will not take place; another one may be planned."""
    handoff = _answering(by, appointment.handoff)
    appointment = _planned(appointment)
    appointment.state = AppointmentState.CANCELLED
    appointment.save(update_fields=["state", "updated_at"])
    label = f"Premier rendez-vous du {_local(appointment.starts_at)} annulé ({handoff.to_structure})"
    event(person=handoff.person, kind="appointment.cancelled", label=label, by=by, structure=handoff.to_structure)
    return appointment


@transaction.atomic
def appointment_hold(
    *,
    by: User,
    appointment: Appointment,
    held_at: datetime,
    mobilisation_target: str = "",
    frein_theme: str = "",
    reply: str = "",
) -> Appointment:
    """The planned meeting took place at ``held_at``: a contact of the receiving structure is recorded, the hand-off
    reaches « premier rendez-vous tenu »; optionally the linked mobilisation moves (``mobilisation_target``: acceptée,
    entrée or refusée), a frein category is added and a reply is sent to the sender."""
    handoff = _answering(by, appointment.handoff)
    appointment = _planned(appointment)
    if held_at > timezone.now():
        raise ValidationFailed(
            _("Le rendez-vous ne peut pas être enregistré comme tenu avant d'avoir eu lieu."), field="held_at"
        )
    if mobilisation_target and mobilisation_target not in MOBILISATION_PATHS:
        raise ValidationFailed(_("Choisissez ce que devient le dispositif."), field="mobilisation_target")
    if frein_theme and frein_theme not in FreinTheme.values:
        raise ValidationFailed(_("Thème de frein inconnu."), field="frein_theme")
    if reply.strip():
        _check_reply(reply)
    handoff = handoff_first_meeting(by=by, handoff=handoff, met_on=timezone.localdate(held_at))
    contact = contact_record(by=by, person=handoff.person, kind=ContactKind.MEETING, happened_at=held_at)
    appointment.state, appointment.contact = AppointmentState.HELD, contact
    appointment.save(update_fields=["state", "contact", "updated_at"])
    if mobilisation_target:
        _move_linked_mobilisation(by, handoff, mobilisation_target)
    if frein_theme:
        frein_identify(by=by, person=handoff.person, theme=frein_theme)
    if reply.strip():
        handoff_reply(by=by, handoff=handoff, message=reply)
    return appointment


def in_charge(user: User, mobilisation: Mobilisation) -> bool:
    """Whether ``user`` may move the mobilisation at the meeting: its structure in charge, or the coordinator."""
    return mobilisation.structure_id in user.structure_ids or is_coordinator(user)


def _move_linked_mobilisation(by: User, handoff: Handoff, target: str) -> None:
    if handoff.mobilisation_id is None:
        raise ValidationFailed(_("Cette orientation ne concerne aucun dispositif."), field="mobilisation_target")
    mobilisation = Mobilisation.objects.get(pk=handoff.mobilisation_id)
    if not in_charge(by, mobilisation):
        raise ValidationFailed(
            _("Seule la structure en charge du dispositif peut le faire évoluer."), field="mobilisation_target"
        )
    for state in MOBILISATION_PATHS[target]:
        mobilisation.refresh_from_db(fields=["state"])
        if mobilisation.state == state:
            continue
        if state not in allowed_targets("mobilisation", mobilisation.state):
            raise ValidationFailed(
                _("Le dispositif est à l'état « %(state)s » : il ne peut pas passer à « %(target)s ».")
                % {"state": mobilisation.get_state_display(), "target": MobilisationState(state).label},
                field="mobilisation_target",
            )
        mobilisation_transition(by=by, mobilisation=mobilisation, target=state)


def _check_reply(message: str) -> str:
    message = " ".join(message.split())
    if not message:
        raise ValidationFailed(_("Écrivez votre réponse."), field="message")
    if len(message) > REPLY_MAX_LENGTH:
        raise ValidationFailed(
            _("La réponse est limitée à %(max)s caractères (elle en compte %(count)s).")
            % {"max": REPLY_MAX_LENGTH, "count": len(message)},
            field="message",
        )
    return message


@transaction.atomic
def handoff_reply(*, by: User, handoff: Handoff, message: str) -> HandoffReply:
    """A short message from the receiving structure to the sender, shown on the hand-off to both structures.
    The timeline says a reply was sent, not what it says."""
    handoff = _answering(by, handoff)
    if handoff.state not in LIVE_HANDOFF_STATES:
        raise InvalidTransition(
            _("Cette orientation est à l'état « %(state)s » : on ne peut plus y répondre.")
            % {"state": handoff.get_state_display()}
        )
    text = _check_reply(message)
    structure = handoff.to_structure if handoff.to_structure_id in by.structure_ids else own_structure(by)
    reply = HandoffReply.objects.create(handoff=handoff, message=text, by=by, structure=structure)
    event(
        person=handoff.person,
        kind="handoff.reply",
        label=f"Réponse de {structure} à l'orientation de {handoff.from_structure}",
        by=by,
        structure=structure,
    )
    return reply
