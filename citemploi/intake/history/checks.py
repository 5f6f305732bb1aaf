"""The rows of one person against the product's rules: the state machines of hand-offs, mobilisations, freins and
the pathway (``citemploi.pathways.states``) and the date rules (``citemploi.pathways.dates``). A contradiction is
an error of the row that contradicts, with the reason in French; the person is then left out of the plan."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from citemploi.intake.errors import RowError
from citemploi.intake.history.plan import ExitRow, HandoffRow, MobilisationRow, PersonPlan
from citemploi.intake.history.rows import fmt
from citemploi.pathways.exits import exit_category
from citemploi.pathways.services.mobilisations import operator_kinds, runs_scheme
from citemploi.pathways.states import MobilisationState


class _Checker:
    def __init__(self, person: PersonPlan, errors: list[RowError]) -> None:
        self.person, self.errors, self.ok = person, errors, True
        self.spotted_on = person.person.spotted_on
        self.exit = person.exits[0] if person.exits else None

    def fail(self, sheet: str, row: int, column: str, message: str) -> None:
        self.ok = False
        self.errors.append(RowError(row=row, column=column, message=message, sheet=sheet))

    def not_before(
        self, sheet: str, row: int, column: str, day: date | None, earliest: date | None, message: str
    ) -> bool:
        if day is not None and earliest is not None and day < earliest:
            self.fail(sheet, row, column, message % {"date": fmt(day), "earliest": fmt(earliest)})
            return False
        return True

    def after_spotting(self, sheet: str, row: int, column: str, day: date | None) -> None:
        self.not_before(
            sheet, row, column, day, self.spotted_on, _("Cette date (%(date)s) précède le repérage (%(earliest)s).")
        )

    def contacts(self) -> None:
        for contact in self.person.contacts:
            self.not_before(
                "contacts",
                contact.row,
                "date",
                contact.on,
                self.spotted_on,
                _("Le contact du %(date)s précède le repérage (%(earliest)s)."),
            )

    def freins(self) -> None:
        for frein in self.person.freins:
            self.after_spotting("freins", frein.row, "date_identification", frein.identified_on)
            self.not_before(
                "freins",
                frein.row,
                "date_levee",
                frein.closed_on,
                frein.identified_on,
                _("La levée (%(date)s) précède l'identification du frein (%(earliest)s)."),
            )
            if frein.not_liftable and frein.closed_on is None:
                self.fail(
                    "freins",
                    frein.row,
                    "date_levee",
                    _("Indiquez dans date_levee le jour où le frein a été jugé non levable."),
                )

    def handoffs(self) -> None:
        referent = self.person.person.structure
        for h in sorted(self.person.handoffs, key=lambda h: (h.sent_on, h.row)):
            self._handoff(h, referent.pk)

    def _handoff(self, h: HandoffRow, referent_id: int) -> None:
        sheet, row = "orientations", h.row
        sender_id = h.from_structure.pk if h.from_structure else referent_id
        if h.to_structure.pk in (sender_id, referent_id):
            self.fail(
                sheet,
                row,
                "structure_destinataire",
                _("Une personne ne peut pas être orientée vers sa propre structure (émettrice ou référente)."),
            )
        self.after_spotting(sheet, row, "date_envoi", h.sent_on)
        if self.exit and h.sent_on > self.exit.exited_on:
            self.fail(
                sheet,
                row,
                "date_envoi",
                _(
                    "L'orientation (%(date)s) suit la sortie du parcours (%(exit)s) : une personne sortie ne peut plus être orientée."
                )
                % {"date": fmt(h.sent_on), "exit": fmt(self.exit.exited_on)},
            )
        self.not_before(
            sheet,
            row,
            "date_accuse",
            h.acknowledged_on,
            h.sent_on,
            _("L'accusé de réception (%(date)s) précède l'envoi (%(earliest)s)."),
        )
        self._answers(h)
        self._one_live(h)

    def _answers(self, h: HandoffRow) -> None:
        sheet, row = "orientations", h.row
        if h.first_meeting_on is not None:
            if h.acknowledged_on is None:
                self.fail(
                    sheet,
                    row,
                    "date_premier_rdv",
                    _("Un premier rendez-vous suppose un accusé de réception : indiquez date_accuse."),
                )
            else:
                self.not_before(
                    sheet,
                    row,
                    "date_premier_rdv",
                    h.first_meeting_on,
                    h.acknowledged_on,
                    _("Le premier rendez-vous (%(date)s) précède l'accusé de réception (%(earliest)s)."),
                )
            if h.refused_on or h.expired_on:
                self.fail(
                    sheet,
                    row,
                    "date_premier_rdv",
                    _("Une orientation dont le premier rendez-vous a eu lieu ne peut plus être refusée ni expirer."),
                )
        if h.refused_on is not None:
            self.not_before(
                sheet,
                row,
                "date_refus",
                h.refused_on,
                h.acknowledged_on or h.sent_on,
                _("Le refus (%(date)s) précède l'envoi ou l'accusé de réception (%(earliest)s)."),
            )
            if not h.refusal_reason:
                self.fail(
                    sheet, row, "motif_refus", _("Le motif du refus est obligatoire quand date_refus est remplie.")
                )
        elif h.refusal_reason:
            self.fail(sheet, row, "date_refus", _("Un motif de refus sans date de refus : indiquez date_refus."))
        if h.expired_on is not None:
            if h.acknowledged_on or h.refused_on:
                self.fail(
                    sheet,
                    row,
                    "date_expiration",
                    _(
                        "Seule une orientation restée sans réponse expire : retirez date_expiration ou les dates de réponse."
                    ),
                )
            self.not_before(
                sheet,
                row,
                "date_expiration",
                h.expired_on,
                h.sent_on,
                _("L'expiration (%(date)s) précède l'envoi (%(earliest)s)."),
            )

    def _one_live(self, h: HandoffRow) -> None:
        sheet, row = "orientations", h.row
        for other in self.person.handoffs:
            if (
                other is h
                or other.to_structure.pk != h.to_structure.pk
                or (other.sent_on, other.row) > (h.sent_on, h.row)
            ):
                continue
            if other.closed_on is None or other.closed_on > h.sent_on:
                self.fail(
                    sheet,
                    row,
                    "structure_destinataire",
                    _("Une orientation vers %(structure)s est déjà en cours à cette date (ligne %(line)s).")
                    % {"structure": h.to_structure, "line": other.row},
                )

    def mobilisations(self) -> None:
        for m in sorted(self.person.mobilisations, key=lambda m: (m.proposed_on, m.row)):
            self._mobilisation(m)

    def _mobilisation(self, m: MobilisationRow) -> None:
        sheet, row = "mobilisations", m.row
        structure = m.structure or self.person.person.structure
        if not runs_scheme(structure, m.scheme):
            self.fail(
                sheet,
                row,
                "structure",
                _("%(structure)s ne porte pas le dispositif %(scheme)s (opérateurs : %(kinds)s).")
                % {"structure": structure, "scheme": m.scheme, "kinds": operator_kinds(m.scheme)},
            )
        self.after_spotting(sheet, row, "date_proposition", m.proposed_on)
        self.not_before(
            sheet,
            row,
            "date_entree",
            m.entered_on,
            m.proposed_on,
            _("L'entrée (%(date)s) précède la proposition du dispositif (%(earliest)s)."),
        )
        self.not_before(
            sheet,
            row,
            "date_fin",
            m.ended_on,
            m.entered_on or m.proposed_on,
            _("La fin (%(date)s) précède l'entrée ou la proposition du dispositif (%(earliest)s)."),
        )
        if m.outcome and m.ended_on is None:
            self.fail(sheet, row, "date_fin", _("Une issue suppose une date de fin : indiquez date_fin."))
        if m.ended_on is not None and not m.outcome:
            self.fail(sheet, row, "issue", _("Une date de fin suppose une issue (sortie, abandon ou refusee)."))
        if m.outcome == MobilisationState.EXITED and m.entered_on is None:
            self.fail(
                sheet,
                row,
                "issue",
                _("Une sortie du dispositif suppose une entrée : indiquez date_entree (ou l'issue « abandon »)."),
            )
        if m.outcome == MobilisationState.REFUSED and m.entered_on is not None:
            self.fail(
                sheet,
                row,
                "issue",
                _(
                    "Un dispositif refusé n'a pas d'entrée : retirez date_entree ou choisissez « sortie » ou « abandon »."
                ),
            )
        self._against_exit(m)
        self._one_open(m)

    def _against_exit(self, m: MobilisationRow) -> None:  # the exit closes every open mobilisation
        sheet, row = "mobilisations", m.row
        if self.exit is not None:
            exited = self.exit.exited_on
            if m.proposed_on > exited:
                self.fail(
                    sheet,
                    row,
                    "date_proposition",
                    _("La proposition (%(date)s) suit la sortie du parcours (%(exit)s).")
                    % {"date": fmt(m.proposed_on), "exit": fmt(exited)},
                )
            elif m.ended_on is None:
                self.fail(
                    sheet,
                    row,
                    "issue",
                    _(
                        "La personne est sortie du parcours le %(exit)s : indiquez l'issue et la date de fin du dispositif."
                    )
                    % {"exit": fmt(exited)},
                )
            elif m.ended_on > exited:
                self.fail(
                    sheet,
                    row,
                    "date_fin",
                    _("La fin du dispositif (%(date)s) suit la sortie du parcours (%(exit)s).")
                    % {"date": fmt(m.ended_on), "exit": fmt(exited)},
                )

    def _one_open(self, m: MobilisationRow) -> None:
        sheet, row = "mobilisations", m.row
        for other in self.person.mobilisations:
            if other is m or other.scheme.pk != m.scheme.pk or (other.proposed_on, other.row) > (m.proposed_on, m.row):
                continue
            if other.ended_on is None or other.ended_on > m.proposed_on:
                self.fail(
                    sheet,
                    row,
                    "dispositif",
                    _("Le dispositif %(scheme)s est déjà proposé ou en cours à cette date (ligne %(line)s).")
                    % {"scheme": m.scheme, "line": other.row},
                )

    def exits(self) -> None:
        for extra in self.person.exits[1:]:
            self.fail(
                "sorties",
                extra.row,
                "ref",
                _("Une seule sortie par personne : la personne a déjà une sortie (ligne %(line)s).")
                % {"line": self.person.exits[0].row},
            )
        if self.exit is not None:
            self._exit(self.exit)

    def _exit(self, e: ExitRow) -> None:
        sheet, row = "sorties", e.row
        self.not_before(
            sheet,
            row,
            "date_sortie",
            e.exited_on,
            self.spotted_on,
            _("La sortie (%(date)s) précède le repérage (%(earliest)s)."),
        )
        entries = [m.entered_on for m in self.person.mobilisations if m.entered_on is not None]
        self.not_before(
            sheet,
            row,
            "date_sortie",
            e.exited_on,
            min(entries) if entries else None,
            _("La sortie (%(date)s) précède l'entrée en parcours (%(earliest)s)."),
        )
        before = [
            *(c.on for c in self.person.contacts), *(f.identified_on for f in self.person.freins),
            *(h.sent_on for h in self.person.handoffs), *(m.proposed_on for m in self.person.mobilisations),
        ]  # fmt: skip
        if not any(day <= e.exited_on for day in before):
            self.fail(
                sheet,
                row,
                "date_sortie",
                _(
                    "Une sortie suppose une entrée dans le parcours : aucun contact, frein, orientation ni dispositif avant le %(date)s."
                )
                % {"date": fmt(e.exited_on)},
            )
        if e.contract_start_on and e.contract_end_on and e.contract_start_on > e.contract_end_on:
            self.fail(sheet, row, "fin_contrat", _("Le début du contrat doit précéder sa fin."))
        self.not_before(
            sheet,
            row,
            "fin_contrat",
            e.contract_end_on,
            e.exited_on,
            _("La fin prévue du contrat (%(date)s) précède la sortie (%(earliest)s)."),
        )
        try:
            exit_category(
                e.situation,
                start=e.exited_on,
                contract_end=e.contract_end_on,
                contract_start=e.contract_start_on,
                weekly_hours=None if e.weekly_hours is None else float(e.weekly_hours),
            )
        except ValueError as missing:
            if str(missing) == "weekly_hours":
                self.fail(
                    sheet,
                    row,
                    "heures_hebdo",
                    _("Indiquez les heures par semaine du contrat (définition %(definition)s : au moins un mi-temps).")
                    % {"definition": settings.PATHWAYS_EXIT_DEFINITION.upper()},
                )
            else:
                self.fail(
                    sheet,
                    row,
                    "fin_contrat",
                    _("Pour un CDD ou une mission d'intérim, indiquez la fin prévue du contrat."),
                )


def _event_days(person: PersonPlan) -> list[date]:
    """Every day of an event of ``person`` (whatever its sheet)."""
    row = person.person
    days = [row.spotted_on, *([row.referent_on] if row.referent_on else [])]
    days += [c.on for c in person.contacts] + [e.exited_on for e in person.exits]
    for f in person.freins:
        days += [f.identified_on, *([f.closed_on] if f.closed_on else [])]
    for h in person.handoffs:
        days += [d for d in (h.sent_on, h.acknowledged_on, h.first_meeting_on, h.refused_on, h.expired_on) if d]
    for m in person.mobilisations:
        days += [d for d in (m.proposed_on, m.entered_on, m.ended_on) if d]
    return days


def _check_manual(checker: _Checker) -> None:
    """A state set by hand is the last word on the pathway: after every other event, and never with an exit."""
    row = checker.person.person
    if not row.manual_state or row.manual_on is None:
        return
    if checker.exit is not None:
        message = _("Une personne sortie du parcours n'a pas d'état posé à la main : retirez etat_manuel ou la sortie.")
        checker.fail("personnes", row.row, "etat_manuel", message)
        return
    latest = max(_event_days(checker.person))
    if row.manual_on < latest:
        message = _(
            "Le changement d'état (%(date)s) précède le dernier événement de la personne (%(latest)s) : un événement "
            "après lui reprend le parcours."
        ) % {"date": fmt(row.manual_on), "latest": fmt(latest)}
        checker.fail("personnes", row.row, "date_etat_manuel", message)


def check_person(person: PersonPlan, errors: list[RowError]) -> bool:
    """Check every row of ``person``; False (errors appended) when one contradicts the product's rules."""
    checker = _Checker(person, errors)
    checker.contacts()
    checker.freins()
    checker.handoffs()
    checker.mobilisations()
    checker.exits()
    _check_manual(checker)
    return checker.ok
