"""``apply``: write a checked plan through the pathways services, each event with its real date, in the order the
events happened (the pathway state then comes out as the product derives it, citemploi.pathways.derivation).
Every timeline line written says « repris de <fichier> le <date> » (``citemploi.pathways.replay``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.errors import ValidationFailed
from citemploi.intake.history.columns import OUTSIDE_QPV
from citemploi.intake.history.plan import (
    ContactRow,
    ExitRow,
    FreinRow,
    HandoffRow,
    HistoryPlan,
    MobilisationRow,
    PersonPlan,
)
from citemploi.intake.history.rows import fmt
from citemploi.pathways import models as pm
from citemploi.pathways.choices import QPVStatus
from citemploi.pathways.replay import day_moment, replaying
from citemploi.pathways.services import (
    contact_record,
    exit_record,
    frein_identify,
    frein_transition,
    handoff_acknowledge,
    handoff_first_meeting,
    handoff_refuse,
    mobilisation_propose,
    mobilisation_transition,
    pathway_transition,
    person_register,
    referent_assign,
)
from citemploi.pathways.services.actions import handoff_expire, handoff_send
from citemploi.pathways.services.inputs import PersonFields
from citemploi.pathways.services.locating import Located, person_relocate, qpv_entry_declare
from citemploi.pathways.states import FreinState, MobilisationState
from citemploi.territory.geocoding import GeocoderError, GeocodeResult, get_geocoder
from citemploi.territory.lookup import PerimeterIndex, QPVAnswer, get_index
from citemploi.territory.models import QPV

#: Order of the events of one day (a contact before the frein it revealed, an entry before the exit…).
_SPOT, _REFER, _CONTACT, _FREIN, _PROPOSE, _SEND, _ACK, _MEET, _ENTER, _CLOSE, _END, _EXIT, _MARK = range(13)
_STATUS = {"in": QPVStatus.IN, "out": QPVStatus.OUT, "error": QPVStatus.ERROR}


def _located(answer: QPVAnswer, lon: float | None, lat: float | None, insee: str) -> Located:
    status = QPVStatus.CHECK if answer.near_boundary else _STATUS.get(answer.status, QPVStatus.UNKNOWN)
    return Located(status, answer.qpv_code, answer.generation, lon, lat, insee or answer.insee_code)


def _without_point(index: PerimeterIndex, fields: PersonFields) -> Located | None:
    """The answer for a person without a point when it needs no geocoder (a commune without QPV, no address);
    None when the address must be geocoded."""
    if not (fields.address or fields.postcode or fields.city):
        return Located(QPVStatus.UNKNOWN)
    shortcut = index.commune_answer(fields.address, postcode=fields.postcode, city=fields.city)
    if shortcut is not None:
        return Located(QPVStatus.OUT, generation=shortcut.generation, insee_code=shortcut.insee_code)
    return None if fields.address else Located(QPVStatus.UNKNOWN)


def locate_people(people: list[PersonPlan]) -> dict[str, Located | None]:
    """The QPV answer of every person, in one batch: the point when the row gives lon/lat, else the address
    through the configured geocoder (a commune without QPV answers without it). None: the geocoder is down (the
    person is located later, in the background)."""
    index = get_index()
    answers: dict[str, Located | None] = {}
    points: list[tuple[str, float, float, str]] = []
    queries: list[tuple[str, tuple[str, str, str]]] = []
    for plan in people:
        row, fields = plan.person, plan.person.fields
        if row.lon is not None and row.lat is not None:
            # The commune the postcode and name designate (one only) gives the point its INSEE code: outside every
            # perimeter of a commune whose QPV are all loaded, the point is certainly « hors QPV ».
            communes = index.directory.recognise(fields.address, postcode=fields.postcode, city=fields.city)
            points.append((row.ref, row.lon, row.lat, communes[0] if len(communes) == 1 else ""))
        elif (answer := _without_point(index, fields)) is not None:
            answers[row.ref] = answer
        else:
            queries.append((row.ref, (fields.address, fields.postcode, fields.city)))
    if queries:
        try:
            found: list[GeocodeResult | None] = get_geocoder().geocode_many([q for _ref, q in queries])
        except GeocoderError:
            found = []
            answers.update((ref, None) for ref, _query in queries)
        for (ref, _query), result in zip(queries, found, strict=False):
            if result is None:
                answers[ref] = Located(QPVStatus.ERROR)
            else:
                points.append((ref, result.lon, result.lat, result.insee_code))
    if points:
        lon, lat = np.array([p[1] for p in points]), np.array([p[2] for p in points])
        batch = index.locate_many(lon, lat, [p[3] for p in points])
        for i, (ref, x, y, insee) in enumerate(points):
            answers[ref] = _located(index.answer(batch, i), x, y, insee)
    return answers


@dataclass
class _Replay:
    by: User
    plan: PersonPlan
    located: Located | None
    person: pm.Person | None = None
    steps: list[tuple[date, int, int, Callable[[], object]]] = field(default_factory=list)

    @property
    def p(self) -> pm.Person:
        assert self.person is not None  # registered by the first step
        return self.person

    def add(self, day: date, order: int, row: int, action: Callable[[], object]) -> None:
        self.steps.append((day, order, row, action))

    def run(self, qpvs: dict[str, QPV]) -> pm.Person:
        self._schedule()
        for _day, _order, _row, action in sorted(self.steps, key=lambda s: s[:3]):
            action()
        assert self.person is not None
        declared = self.plan.person.qpv_entry
        if declared:  # the workbook's QPV at entry, over the answer computed at the first contact
            qpv_entry_declare(by=self.by, person=self.person, qpv=None if declared == OUTSIDE_QPV else qpvs[declared])
        return self.person

    def _schedule(self) -> None:
        row = self.plan.person
        self.add(row.spotted_on, _SPOT, 0, self._register)
        if row.referent is not None and row.referent_on is not None:
            referent, named = row.referent, day_moment(row.referent_on)
            self.add(
                row.referent_on,
                _REFER,
                0,
                lambda: referent_assign(by=self.by, person=self.p, referent=referent, at=named),
            )
        for contact in self.plan.contacts:
            self.add(contact.on, _CONTACT, contact.row, self._contact(contact))
        for frein in self.plan.freins:
            self._frein(frein)
        for handoff in self.plan.handoffs:
            self._handoff(handoff)
        for mobilisation in self.plan.mobilisations:
            self._mobilisation(mobilisation)
        for exit_ in self.plan.exits:
            self.add(exit_.exited_on, _EXIT, exit_.row, self._exit(exit_))
        if row.manual_state and row.manual_on is not None:
            target, marked = row.manual_state, day_moment(row.manual_on)
            reason = row.manual_reason or _("État repris de l'historique.")
            self.add(
                row.manual_on,
                _MARK,
                0,
                lambda: pathway_transition(by=self.by, person=self.p, target=target, reason=reason, at=marked),
            )

    def _register(self) -> None:
        row = self.plan.person
        self.person = person_register(
            by=self.by,
            structure=row.structure,
            channel=row.channel,
            spotted_on=row.spotted_on,
            fields=row.fields,
            locate=False,
            located=self.located,
        )

    def _contact(self, c: ContactRow) -> Callable[[], object]:
        return lambda: contact_record(
            by=self.by,
            person=self.p,
            kind=c.kind,
            happened_at=c.at or day_moment(c.on),
            initiated_by_person=bool(c.initiated),
            structure=self.plan.person.structure,
        )

    def _exit(self, e: ExitRow) -> Callable[[], object]:
        return lambda: exit_record(
            by=self.by,
            person=self.p,
            exited_on=e.exited_on,
            situation=e.situation,
            contract_start_on=e.contract_start_on,
            contract_end_on=e.contract_end_on,
            weekly_hours=e.weekly_hours,
        )

    def _frein(self, f: FreinRow) -> None:
        holder: dict[str, pm.Frein] = {}

        def identify() -> None:
            holder["frein"] = frein_identify(
                by=self.by,
                person=self.p,
                theme=f.theme,
                identified_on=f.identified_on,
                structure=self.plan.person.structure,
            )

        self.add(f.identified_on, _FREIN, f.row, identify)
        if f.closed_on is not None:
            target = FreinState.NOT_LIFTABLE if f.not_liftable else FreinState.LIFTED
            closed = f.closed_on
            self.add(
                closed,
                _CLOSE,
                f.row,
                lambda: frein_transition(by=self.by, frein=holder["frein"], target=target, on=closed),
            )

    def _handoff(self, h: HandoffRow) -> None:
        holder: dict[str, pm.Handoff] = {}

        def send() -> None:
            holder["handoff"] = handoff_send(
                by=self.by,
                person=self.p,
                to_structure=h.to_structure,
                reason=_("Orientation reprise de l'historique."),
                shared=[],
                at=day_moment(h.sent_on),
                from_structure=h.from_structure,
            )

        self.add(h.sent_on, _SEND, h.row, send)
        if h.acknowledged_on is not None:
            acknowledged = day_moment(h.acknowledged_on)
            self.add(
                h.acknowledged_on,
                _ACK,
                h.row,
                lambda: handoff_acknowledge(by=self.by, handoff=holder["handoff"], at=acknowledged),
            )
        if h.first_meeting_on is not None:
            met = h.first_meeting_on
            self.add(
                met, _MEET, h.row, lambda: handoff_first_meeting(by=self.by, handoff=holder["handoff"], met_on=met)
            )
        if h.refused_on is not None:
            refused, why = day_moment(h.refused_on), h.refusal_reason
            self.add(
                h.refused_on,
                _END,
                h.row,
                lambda: handoff_refuse(by=self.by, handoff=holder["handoff"], reason=why, at=refused),
            )
        if h.expired_on is not None:
            expired = day_moment(h.expired_on)
            self.add(
                h.expired_on, _END, h.row, lambda: handoff_expire(by=self.by, handoff=holder["handoff"], at=expired)
            )

    def _mobilisation(self, m: MobilisationRow) -> None:
        holder: dict[str, pm.Mobilisation] = {}
        structure = m.structure or self.plan.person.structure

        def propose() -> None:
            holder["mobilisation"] = mobilisation_propose(
                by=self.by, person=self.p, scheme=m.scheme, structure=structure, on=m.proposed_on
            )

        def move(targets: tuple[str, ...], on: date) -> Callable[[], None]:
            def run() -> None:
                for target in targets:
                    holder["mobilisation"] = mobilisation_transition(
                        by=self.by, mobilisation=holder["mobilisation"], target=target, on=on
                    )

            return run

        self.add(m.proposed_on, _PROPOSE, m.row, propose)
        state = MobilisationState
        if m.entered_on is not None:
            self.add(m.entered_on, _ENTER, m.row, move((state.ORIENTED, state.ACCEPTED, state.ENTERED), m.entered_on))
        if m.ended_on is not None and m.outcome:
            targets: tuple[str, ...] = (m.outcome,)
            if m.outcome == state.ABANDONED and m.entered_on is None:  # abandoned before any entry
                targets = (state.ORIENTED, state.ACCEPTED, state.ABANDONED)
            self.add(m.ended_on, _END, m.row, move(targets, m.ended_on))


def _created(person: pm.Person) -> list[models.Model]:
    """Every row the replay created for ``person``, parents before children (an undo deletes in reverse)."""
    objects: list[models.Model] = [person, person.pathway]
    for related in (
        pm.Reperage.objects.filter(person=person),
        pm.ReferentAssignment.objects.filter(person=person),
        pm.Contact.objects.filter(person=person),
        pm.Frein.objects.filter(person=person),
        pm.Mobilisation.objects.filter(person=person),
        pm.Handoff.objects.filter(person=person),
        pm.Exit.objects.filter(person=person),
        pm.FollowUp.objects.filter(exit__person=person),
        pm.TimelineEvent.objects.filter(person=person),
    ):
        objects.extend(related.order_by("pk"))
    return objects


@transaction.atomic
def apply(plan: HistoryPlan, *, by: User | None, source: str) -> list[models.Model]:
    """Write the plan's people and their history, all or nothing (inside the caller's transaction): each event
    through its pathways service with its real date, in the order they happened. People left out by ``analyse``
    (a row in error) are not written. Returns every created object, parents first."""
    if by is None:
        raise ValidationFailed(_("La reprise de l'historique se fait au nom d'un compte de la coordination."))
    note = _("repris de %(source)s le %(date)s") % {"source": source, "date": fmt(timezone.localdate())}
    located = locate_people(plan.people)
    qpvs = {q.code: q for q in QPV.objects.filter(code__in={p.person.qpv_entry for p in plan.people})}
    created: list[models.Model] = []
    with replaying(note):
        for person_plan in plan.people:
            answer = located.get(person_plan.person.ref)
            person = _Replay(by, person_plan, answer).run(qpvs)
            if answer is None and person.address:  # the geocoder did not answer: located in the background
                person_relocate(by=by, person=person)
            created.extend(_created(person))
    return created
