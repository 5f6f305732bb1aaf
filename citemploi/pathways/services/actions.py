"""Services of the pathway's work: freins, scheme mobilisations, hand-offs, contacts, exit and follow-ups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citemploi.accounts.models import Structure, User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import Conflict
from citemploi.pathways import dates
from citemploi.pathways.choices import SENSITIVE_FREIN_THEMES, ExitSituation, FreinTheme, HandoffShare
from citemploi.pathways.exits import add_months, exit_category
from citemploi.pathways.models import Contact, Exit, FollowUp, Frein, Handoff, Mobilisation, Person
from citemploi.pathways.notifications import notify_handoff
from citemploi.pathways.permissions import can_add_contact, can_answer_handoff, can_move_mobilisation, sight_of
from citemploi.pathways.replay import moment_of, replayed_moment
from citemploi.pathways.services.common import (
    REFERENT_ONLY,
    Visibility,
    edits,
    event,
    guarded,
    locked_pathway,
    own_structure,
    require,
    sees,
)
from citemploi.pathways.services.follow import pathway_follow
from citemploi.pathways.services.mobilisations import close_at_exit, structure_in_charge, take_over_at_acknowledgement
from citemploi.pathways.services.unmet import notify_unmet
from citemploi.pathways.states import (
    LIVE_HANDOFF_STATES,
    FreinState,
    HandoffState,
    MobilisationState,
    PathwayState,
    check_transition,
)
from citemploi.pathways.workdays import working_days_before
from citemploi.schemes.models import Scheme

FOLLOW_UP_MONTHS = (3, 6, 12)

_RECEIVER_ONLY = gettext_lazy("Seule la structure destinataire peut répondre à cette orientation.")


def _moves(*, by: User, mobilisation: Mobilisation, **_: object) -> bool:
    return can_move_mobilisation(by, sight_of(by, mobilisation.person), mobilisation)


def _answers(*, by: User, handoff: Handoff, **_: object) -> bool:
    return can_answer_handoff(by, handoff)


def _contacts(*, by: User, person: Person, **_: object) -> bool:
    return sees(by, person, can_add_contact)


def _acting_structure(by: User, structure: Structure | None) -> Structure:
    """The structure a record is written for: the actor's own, or ``structure`` when given — one of the actor's
    structures, or any for the coordinator (a past event taken over from the coordinator's workbook)."""
    if structure is None:
        return own_structure(by)
    require(
        is_coordinator(by) or structure.pk in by.structure_ids,
        _("Vous ne pouvez pas enregistrer au nom de %(structure)s.") % {"structure": structure},
    )
    return structure


@guarded(
    _contacts,
    gettext_lazy("Seule la structure référente, ou celle qui a accusé réception de l'orientation, ajoute un frein."),
)
@transaction.atomic
def frein_identify(
    *,
    by: User,
    person: Person,
    theme: str,
    comment: str = "",
    identified_on: date | None = None,
    structure: Structure | None = None,
) -> Frein:
    """Record a peripheral barrier (state « identifié »). Justice is sensitive. ``identified_on`` in the past is the
    frein's real date (its timeline line and the pathway move carry it); ``structure``: see ``_acting_structure``."""
    dates.check_past(identified_on, field="identified_on")
    frein = Frein.objects.create(
        person=person,
        theme=theme,
        comment=comment,
        structure=_acting_structure(by, structure),
        identified_on=identified_on or timezone.localdate(),
    )
    at = replayed_moment(identified_on)
    visibility = Visibility.SENSITIVE if theme in SENSITIVE_FREIN_THEMES else Visibility.SHARED
    event(
        person=person,
        kind="frein.identified",
        label=f"Frein identifié : {FreinTheme(theme).label}",
        by=by,
        visibility=visibility,
        at=at,
    )
    pathway_follow(by=by, person=person, at=at)
    return frein


@guarded(lambda by, frein, **_: edits(by, frein.person), REFERENT_ONLY)
@transaction.atomic
def frein_transition(*, by: User, frein: Frein, target: str, on: date | None = None) -> Frein:
    """Move a frein: identifié → en cours → levé | non levable. ``on``: the day it happened, when in the past."""
    frein = Frein.objects.select_for_update(of=("self",)).get(pk=frein.pk)
    check_transition("frein", frein.state, target)
    dates.check_past(on, field="closed_on")
    dates.check_not_before(
        on,
        frein.identified_on,
        field="closed_on",
        message=_("Le frein ne peut pas être clos avant d'avoir été identifié (%(date)s)."),
    )
    frein.state = target
    closing = target in {FreinState.LIFTED, FreinState.NOT_LIFTABLE}
    frein.closed_on = (on or timezone.localdate()) if closing else None
    frein.save(update_fields=["state", "closed_on", "updated_at"])
    visibility = Visibility.SENSITIVE if frein.theme in SENSITIVE_FREIN_THEMES else Visibility.SHARED
    label = f"Frein {frein.get_theme_display()} : {frein.get_state_display()}"
    event(person=frein.person, kind="frein.state", label=label, by=by, visibility=visibility, at=moment_of(on))
    if target == FreinState.NOT_LIFTABLE:
        notify_unmet()  # the register of uncovered needs counts it (pathways.unmet)
    return frein


#: A scheme in one of these states is still under way: proposing it again would only duplicate it.
OPEN_MOBILISATION_STATES = frozenset(
    {MobilisationState.PROPOSED, MobilisationState.ORIENTED, MobilisationState.ACCEPTED, MobilisationState.ENTERED}
)


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def mobilisation_propose(
    *, by: User, person: Person, scheme: Scheme, structure: Structure, on: date | None = None
) -> Mobilisation:
    """Propose a scheme of the catalogue to the person, with the structure that will be in charge. Refused while
    the same scheme is still under way for the person (a double click on « Proposer » creates one). ``on``: the day
    of the proposal, when in the past."""
    dates.check_past(on, field="proposed_on")
    pathway = locked_pathway(person)  # serialises two proposals of the same scheme
    require(
        pathway.state != PathwayState.EXITED,
        _("La personne est sortie du parcours : rien ne peut plus lui être proposé."),
    )
    require(
        not Mobilisation.objects.filter(person=person, scheme=scheme, state__in=OPEN_MOBILISATION_STATES).exists(),
        _("Le dispositif %(scheme)s est déjà proposé ou en cours pour cette personne.") % {"scheme": scheme},
    )
    structure = structure_in_charge(scheme=scheme, structure=structure)
    day = on or timezone.localdate()
    mobilisation = Mobilisation.objects.create(
        person=person, scheme=scheme, structure=structure, proposed_on=day, state_changed_on=day
    )
    at = moment_of(on)
    label = f"Dispositif proposé : {scheme} ({structure})"
    event(person=person, kind="mobilisation.proposed", label=label, by=by, at=at)
    pathway_follow(by=by, person=person, at=at)
    return mobilisation


def _move_mobilisation(mobilisation: Mobilisation, target: str, *, by: User, on: date | None = None) -> None:
    check_transition("mobilisation", mobilisation.state, target)
    mobilisation.state = target
    mobilisation.state_changed_on = today = on or timezone.localdate()
    if target == MobilisationState.ENTERED:
        mobilisation.entered_on = today
    if target in {MobilisationState.EXITED, MobilisationState.ABANDONED, MobilisationState.REFUSED}:
        mobilisation.ended_on = today
    mobilisation.save(update_fields=["state", "state_changed_on", "entered_on", "ended_on", "updated_at"])
    label = f"Dispositif {mobilisation.scheme} : {mobilisation.get_state_display()}"
    at = replayed_moment(on)
    event(person=mobilisation.person, kind="mobilisation.state", label=label, by=by, at=at)
    if target == MobilisationState.ENTERED:
        pathway_follow(by=by, person=mobilisation.person, at=at)


@guarded(
    _moves, gettext_lazy("Seule la structure référente ou la structure en charge peut faire évoluer ce dispositif.")
)
@transaction.atomic
def mobilisation_transition(
    *, by: User, mobilisation: Mobilisation, target: str, on: date | None = None
) -> Mobilisation:
    """Move a mobilisation: proposée → orientée → acceptée | refusée → entrée → sortie | abandon. ``on``: the day it
    happened, when in the past (on or after the proposal)."""
    dates.check_past(on, field="mobilisation_on")
    locked_pathway(Person(pk=mobilisation.person_id))  # lock order pathway → mobilisation, as exit_record (no deadlock)
    mobilisation = (
        Mobilisation.objects.select_for_update(of=("self",)).select_related("scheme", "person").get(pk=mobilisation.pk)
    )
    dates.check_not_before(
        on,
        mobilisation.proposed_on,
        field="mobilisation_on",
        message=_("Le dispositif ne peut pas évoluer avant d'avoir été proposé (%(date)s)."),
    )
    _move_mobilisation(mobilisation, target, by=by, on=on)
    return mobilisation


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def handoff_send(
    *,
    by: User,
    person: Person,
    to_structure: Structure,
    reason: str,
    shared: list[str],
    mobilisation: Mobilisation | None = None,
    at: datetime | None = None,
    from_structure: Structure | None = None,
) -> Handoff:
    """Orient the person to another structure, sharing the subset the sender chose among HandoffShare. One live
    hand-off per person and destination: a second one is refused (``Conflict``), also under a race. ``at``: the
    moment it was sent, when in the past; ``from_structure``: the sender when not the referent's structure (one of
    the actor's structures, any for the coordinator)."""
    dates.check_past(at, field="sent_at")
    pathway = locked_pathway(person)
    sender = pathway.structure if from_structure is None else _acting_structure(by, from_structure)
    require(
        pathway.state != PathwayState.EXITED, _("La personne est sortie du parcours : elle ne peut plus être orientée.")
    )
    require(
        to_structure.pk not in (pathway.structure_id, sender.pk),
        _("Impossible d'orienter une personne vers votre propre structure."),
    )
    require(bool(reason.strip()), _("Indiquez le motif de l'orientation."))
    require(
        set(shared) <= set(HandoffShare.values),
        _("Une information demandée ne fait pas partie de ce qui peut être partagé."),
    )
    already = _("Une orientation vers %(structure)s est déjà en cours pour cette personne.") % {
        "structure": to_structure
    }
    live = Handoff.objects.filter(person=person, to_structure=to_structure, state__in=LIVE_HANDOFF_STATES)
    if live.exists():
        raise Conflict(already)
    try:
        with transaction.atomic():  # the constraint holds even if the check above raced
            handoff = Handoff.objects.create(
                person=person,
                from_structure=sender,
                sent_at=at or timezone.now(),
                to_structure=to_structure,
                reason=reason,
                shared=sorted(set(shared)),
                sent_by=by,
                mobilisation=mobilisation,
            )
    except IntegrityError as error:
        raise Conflict(already) from error
    event(
        person=person,
        kind="handoff.sent",
        label=f"Orientation envoyée à {to_structure}",
        by=by,
        structure=handoff.from_structure,
        at=at,
    )
    if mobilisation is not None and mobilisation.state == MobilisationState.PROPOSED:
        _move_mobilisation(mobilisation, MobilisationState.ORIENTED, by=by, on=timezone.localdate(at) if at else None)
    pathway_follow(by=by, person=person, at=at)
    notify_handoff("received", handoff)
    return handoff


def _locked_handoff(handoff: Handoff) -> Handoff:
    # Two members of the receiving structure may answer at once: the row lock makes exactly one win. Only the
    # hand-off row is locked (``of``): the joined person and structures stay free for the other hand-offs.
    return (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("person", "to_structure", "from_structure")
        .get(pk=handoff.pk)
    )


@guarded(_answers, _RECEIVER_ONLY)
@transaction.atomic
def handoff_acknowledge(*, by: User, handoff: Handoff, at: datetime | None = None) -> Handoff:
    """The receiving structure acknowledges the hand-off: the person joins its caseload. ``at``: when, if in the
    past (on or after the sending)."""
    handoff = _locked_handoff(handoff)
    if handoff.state == HandoffState.ACKNOWLEDGED:
        require(False, _("Cette orientation a déjà été accusée."))
    check_transition("handoff", handoff.state, HandoffState.ACKNOWLEDGED)
    _check_answer_at(handoff, at)
    handoff.state, handoff.acknowledged_at, handoff.acknowledged_by = (
        HandoffState.ACKNOWLEDGED,
        at or timezone.now(),
        by,
    )
    handoff.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "updated_at"])
    event(
        person=handoff.person,
        kind="handoff.acknowledged",
        label=f"Orientation accusée par {handoff.to_structure}",
        by=by,
        structure=handoff.to_structure,
        at=at,
    )
    take_over_at_acknowledgement(handoff, by=by)
    notify_handoff("acknowledged", handoff)
    return handoff


@guarded(_answers, _RECEIVER_ONLY)
@transaction.atomic
def handoff_refuse(*, by: User, handoff: Handoff, reason: str, at: datetime | None = None) -> Handoff:
    """The receiving structure refuses the hand-off; the reason is mandatory. ``at``: when, if in the past."""
    require(bool(reason.strip()), _("Le motif du refus est obligatoire."))
    handoff = _locked_handoff(handoff)
    check_transition("handoff", handoff.state, HandoffState.REFUSED)
    _check_answer_at(handoff, at)
    handoff.state, handoff.refused_at, handoff.refused_by, handoff.refusal_reason = (
        HandoffState.REFUSED,
        at or timezone.now(),
        by,
        reason,
    )
    handoff.save(update_fields=["state", "refused_at", "refused_by", "refusal_reason", "updated_at"])
    event(
        person=handoff.person,
        kind="handoff.refused",
        label=f"Orientation refusée par {handoff.to_structure}",
        by=by,
        structure=handoff.to_structure,
        at=at,
    )
    notify_handoff("refused", handoff)
    return handoff


@guarded(_answers, _RECEIVER_ONLY)
@transaction.atomic
def handoff_first_meeting(*, by: User, handoff: Handoff, met_on: date, enter_scheme: bool = False) -> Handoff:
    """The first meeting took place (only after acknowledgement). With ``enter_scheme`` the linked scheme
    mobilisation is accepted and entered."""
    handoff = _locked_handoff(handoff)
    if handoff.state == HandoffState.SENT:
        require(False, _("Accusez réception de l'orientation avant d'enregistrer le premier rendez-vous."))
    check_transition("handoff", handoff.state, HandoffState.FIRST_MEETING)
    dates.check_past(met_on, field="met_on")
    dates.check_not_before(
        met_on,
        handoff.sent_at,
        field="met_on",
        message=_("Le premier rendez-vous ne peut pas précéder l'envoi de l'orientation (%(date)s)."),
    )
    handoff.state, handoff.first_meeting_on, handoff.first_meeting_by = HandoffState.FIRST_MEETING, met_on, by
    met_at = replayed_moment(met_on)
    handoff.save(update_fields=["state", "first_meeting_on", "first_meeting_by", "updated_at"])
    event(
        person=handoff.person,
        kind="handoff.first_meeting",
        label=f"Premier rendez-vous tenu à {handoff.to_structure}",
        by=by,
        structure=handoff.to_structure,
        at=met_at,
    )
    if enter_scheme and handoff.mobilisation_id:
        locked_pathway(handoff.person)  # lock order pathway → mobilisation, as exit_record (no deadlock)
        mobilisation = (
            Mobilisation.objects.select_for_update(of=("self",))
            .select_related("scheme", "person")
            .get(pk=handoff.mobilisation_id)
        )
        for target in (MobilisationState.ACCEPTED, MobilisationState.ENTERED):
            if mobilisation.state != target:
                _move_mobilisation(mobilisation, target, by=by)
    pathway_follow(by=by, person=handoff.person, at=met_at)
    return handoff


def _check_answer_at(handoff: Handoff, at: datetime | None) -> None:
    """An answer given in the past: not in the future, and not before the hand-off was sent."""
    dates.check_past(at, field="answered_at")
    dates.check_not_before(
        at,
        handoff.sent_at,
        field="answered_at",
        message=_("La réponse ne peut pas précéder l'envoi de l'orientation (%(date)s)."),
    )


def _expires(*, by: User | None, handoff: Handoff, **_: object) -> bool:
    return by is None or edits(by, handoff.person)


@guarded(_expires, REFERENT_ONLY)
@transaction.atomic
def handoff_expire(*, by: User | None, handoff: Handoff, at: datetime | None = None) -> Handoff:
    """A hand-off left without an answer expires (the daily job, ``by`` None; or a past expiry taken over, with
    its moment ``at``)."""
    handoff = _locked_handoff(handoff)
    check_transition("handoff", handoff.state, HandoffState.EXPIRED)
    _check_answer_at(handoff, at)
    handoff.state, handoff.expired_at = HandoffState.EXPIRED, at or timezone.now()
    handoff.save(update_fields=["state", "expired_at", "updated_at"])
    event(
        person=handoff.person,
        kind="handoff.expired",
        label=f"Orientation vers {handoff.to_structure} expirée sans réponse",
        by=by,
        structure=handoff.from_structure,
        at=at,
    )
    notify_handoff("expired", handoff)
    return handoff


def handoffs_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """Warn receiving structures of hand-offs waiting longer than PATHWAYS_HANDOFF_ACK_WORKING_DAYS, and expire
    those waiting longer than PATHWAYS_HANDOFF_EXPIRY_WORKING_DAYS. Returns (warned, expired)."""
    today = timezone.localdate(now or timezone.now())
    warn_before = working_days_before(today, settings.PATHWAYS_HANDOFF_ACK_WORKING_DAYS)
    expire_before = working_days_before(today, settings.PATHWAYS_HANDOFF_EXPIRY_WORKING_DAYS)
    expired = warned = 0
    waiting = Handoff.objects.filter(state=HandoffState.SENT, sent_at__date__lt=warn_before)
    for pk in waiting.values_list("pk", flat=True):
        with transaction.atomic():
            handoff = _locked_handoff(Handoff(pk=pk))
            if handoff.state != HandoffState.SENT:
                continue
            if timezone.localdate(handoff.sent_at) < expire_before:
                handoff_expire(by=None, handoff=handoff)
                expired += 1
            elif handoff.expiry_warned_at is None:
                handoff.expiry_warned_at = timezone.now()
                handoff.save(update_fields=["expiry_warned_at", "updated_at"])
                notify_handoff("expiring", handoff)
                warned += 1
    return warned, expired


@guarded(_contacts, gettext_lazy("Accusez réception de l'orientation avant d'enregistrer un contact."))
@transaction.atomic
def contact_record(
    *,
    by: User,
    person: Person,
    kind: str,
    happened_at: datetime,
    initiated_by_person: bool = False,
    note: str = "",
    structure: Structure | None = None,
) -> Contact:
    """A meeting, call or workshop. A contact initiated by the person restarts the retention clock; the first
    contact moves a spotted person to « contacté », a diagnostic interview to « diagnostiqué ». ``structure``:
    see ``_acting_structure``."""
    dates.check_past(happened_at, field="happened_at")
    pathway = locked_pathway(person)
    contact = Contact.objects.create(
        person=person,
        kind=kind,
        happened_at=happened_at,
        initiated_by_person=initiated_by_person,
        by=by,
        structure=_acting_structure(by, structure),
        note=note,
    )
    if pathway.last_contact_at is None or happened_at > pathway.last_contact_at:
        pathway.last_contact_at = happened_at
        pathway.save(update_fields=["last_contact_at", "updated_at"])
    if initiated_by_person and happened_at > person.retention_from:
        type(person).objects.filter(pk=person.pk).update(retention_from=happened_at)
    label = f"{contact.get_kind_display()}" + (" (à l'initiative de la personne)" if initiated_by_person else "")
    event(person=person, kind="contact", label=label, by=by, at=happened_at)
    pathway_follow(by=by, person=person, at=replayed_moment(happened_at))
    return contact


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def exit_record(
    *,
    by: User,
    person: Person,
    exited_on: date | None,
    situation: str,
    contract_end_on: date | None = None,
    mobilisation_outcomes: Mapping[str, str] | None = None,
    contract_start_on: date | None = None,
    weekly_hours: Decimal | float | None = None,
) -> Exit:
    """Close the pathway with an exit; the category (DOMAIN.md §5) is computed from the contract's start (the exit
    date when not given) to its end, both included, and the weekly hours (PLIE definition), and the 3, 6 and
    12-month follow-ups are scheduled. The open mobilisations are closed on the exit date: ``mobilisation_outcomes``
    maps the public id of each to its closing state (default: « sortie » when entered, else its only closing
    state)."""
    require(
        bool(situation) and situation in ExitSituation.values,
        _("Indiquez la situation de sortie : sans elle, la catégorie de sortie ne peut pas être calculée."),
    )
    require(exited_on is not None, _("Indiquez la date de sortie."))
    assert exited_on is not None
    require(
        contract_start_on is None or contract_end_on is None or contract_start_on <= contract_end_on,
        _("Le début du contrat doit précéder sa fin."),
    )
    try:
        category = exit_category(
            situation,
            start=exited_on,
            contract_end=contract_end_on,
            contract_start=contract_start_on,
            weekly_hours=None if weekly_hours is None else float(weekly_hours),
        )
    except ValueError as missing:
        if str(missing) == "weekly_hours":
            require(False, _("Indiquez les heures par semaine du contrat (définition PLIE : au moins un mi-temps)."))
        require(False, _("Pour un CDD ou une mission d'intérim, indiquez la fin prévue du contrat."))
    pathway = locked_pathway(person)
    check_transition("pathway", pathway.state, PathwayState.EXITED)
    close_at_exit(
        person=person, pathway=pathway, exited_on=exited_on, contract_end_on=contract_end_on,
        outcomes=mobilisation_outcomes or {}, move=lambda m, target: _move_mobilisation(m, target, by=by, on=exited_on),
    )  # fmt: skip
    exit_ = Exit.objects.create(
        person=person,
        exited_on=exited_on,
        situation=situation,
        contract_end_on=contract_end_on,
        contract_start_on=contract_start_on,
        weekly_hours=None if weekly_hours is None else Decimal(str(weekly_hours)),
        category=category,
        recorded_by=by,
    )
    FollowUp.objects.bulk_create(
        [FollowUp(exit=exit_, months=m, due_on=_add_months(exited_on, m)) for m in FOLLOW_UP_MONTHS]
    )
    exited_at = replayed_moment(exited_on)
    event(
        person=person,
        kind="exit",
        label=f"Sortie : {exit_.get_situation_display()} — {exit_.get_category_display()}",
        by=by,
        at=exited_at,
    )
    pathway_follow(by=by, person=person, at=exited_at)
    return exit_


_add_months = add_months


@guarded(lambda by, followup, **_: edits(by, followup.exit.person), REFERENT_ONLY)
@transaction.atomic
def followup_record(
    *, by: User, followup: FollowUp, done_on: date, situation: str, still_employed: bool | None = None
) -> FollowUp:
    """Record the situation found at a 3, 6 or 12-month follow-up, and whether the person is still in employment
    (« en emploi durable à 6 mois » is derived from it: FollowUp.durable_employment)."""
    followup = FollowUp.objects.select_for_update(of=("self",)).select_related("exit__person").get(pk=followup.pk)
    require(followup.done_on is None, _("Ce suivi est déjà enregistré."))
    require(situation in ExitSituation.values, _("Indiquez la situation constatée."))
    dates.check_past(done_on, field="done_on")
    dates.check_not_before(
        done_on,
        followup.exit.exited_on,
        field="done_on",
        message=_("Le suivi ne peut pas précéder la sortie (%(date)s)."),
    )
    followup.done_on, followup.situation, followup.recorded_by = done_on, situation, by
    followup.still_employed = still_employed
    followup.save(update_fields=["done_on", "situation", "still_employed", "recorded_by", "updated_at"])
    label = f"Suivi à {followup.months} mois : {followup.get_situation_display()}"
    event(person=followup.exit.person, kind="followup", label=label, by=by)
    return followup
