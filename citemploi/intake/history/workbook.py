"""The history workbook as a file: the empty template with its « notice » sheet, and the export of a cohort in
the same shape (so that a cohort exported then taken over gives the same timelines)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.core.exports import safe_row
from citemploi.intake.history.columns import NOTICE_SHEET, OUTSIDE_QPV, SHEETS, column_names
from citemploi.intake.history.rows import Structures
from citemploi.pathways.choices import QPVStatus
from citemploi.pathways.derivation import MANUAL_STATES
from citemploi.pathways.models import Handoff, Mobilisation, Person, ReferentAssignment, Reperage
from citemploi.pathways.states import MobilisationState

Rows = dict[str, list[list[Any]]]


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return f"{value:%d/%m/%Y}"


def _moment(value: datetime) -> str:
    """A contact's moment: its day, with the time unless it is the noon of a contact known by its day only."""
    local = timezone.localtime(value)
    return f"{local:%d/%m/%Y}" if (local.hour, local.minute) == (12, 0) else f"{local:%d/%m/%Y %H:%M}"


def _write(sheets: Rows, *, notice: bool) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    for name in SHEETS:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, column_names(name), bold)
        sheet.set_column(0, len(SHEETS[name]) - 1, 18, text)
        sheet.freeze_panes(1, 0)
        for r, values in enumerate(sheets.get(name, []), start=1):
            sheet.write_row(r, 0, [str(v) for v in safe_row(values)])
    if notice:
        _notice(book.add_worksheet(NOTICE_SHEET), bold)
    book.close()
    return buffer.getvalue()


def _notice(sheet: Any, bold: Any) -> None:
    # The first row is a header row (a spreadsheet reader refuses a title line above the column names).
    lines: list[Sequence[str]] = [
        (_("feuille"), _("colonne"), _("obligatoire"), _("explication")),
        ("", "", "", _("Reprise de l'historique : une feuille par type d'événement, reliées par la colonne ref.")),
        (
            "",
            "",
            "",
            _(
                "Les dates sont celles des événements (JJ/MM/AAAA ou AAAA-MM-JJ) ; une cellule vide veut dire « non renseigné »."
            ),
        ),
        (
            "",
            "",
            "",
            _(
                "Une colonne marquée « peut manquer » peut être absente d'un classeur plus ancien : absente, elle veut dire « non renseigné » pour toutes les lignes, jamais « non »."
            ),
        ),
        (
            "",
            "",
            "",
            _(
                "Une ligne contraire aux règles du parcours (rendez-vous avant l'accusé, entrée avant la proposition, sortie avant l'entrée, contact avant le repérage, date future, code inconnu) est signalée et la personne n'est pas reprise."
            ),
        ),
    ]
    codes: list[Sequence[str]] = [(), (_("feuille"), _("colonne"), _("code"), _("signification"))]
    for name, columns in SHEETS.items():
        for column in columns:
            required = _("oui") if column.required else (_("peut manquer") if column.optional else "")
            lines.append((name, column.name, required, str(column.help)))
            if column.codes is not None:
                codes.extend((name, column.name, code, label) for code, label in column.codes())
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 3, 100)
    for r, values in enumerate([*lines, *codes]):
        header = values and values[0] == _("feuille")
        sheet.write_row(r, 0, [str(v) for v in safe_row(values)], bold if header else None)


def template_workbook() -> bytes:
    """The empty workbook to fill in: the six sheets with their exact columns, and the « notice » sheet that
    explains every column and lists every code (from the models' choices and the scheme catalogue)."""
    return _write({}, notice=True)


def export_workbook(people: QuerySet[Person]) -> bytes:
    """The cohort ``people`` in the template's shape (ref = the record's public identifier). It carries sensitive
    facts (RQTH): for the coordination only, like the takeover itself."""
    return _write(export_rows(people), notice=True)


def export_rows(people: QuerySet[Person]) -> Rows:
    """The rows of ``export_workbook``, sheet by sheet (cells as text)."""
    structures = Structures()
    name = structures.label
    rows: Rows = {sheet: [] for sheet in SHEETS}
    queryset = (
        people.select_related("pathway__structure", "qpv_entry")
        .prefetch_related(
            Prefetch("reperages", queryset=Reperage.objects.order_by("spotted_on", "pk")),
            Prefetch(
                "referent_history",
                queryset=ReferentAssignment.objects.filter(ended_at__isnull=True).select_related("referent"),
                to_attr="open_referent",
            ),
            "contacts",
            Prefetch(
                "handoffs",
                queryset=Handoff.objects.select_related("from_structure", "to_structure").order_by("sent_at", "pk"),
            ),
            Prefetch(
                "mobilisations",
                queryset=Mobilisation.objects.select_related("scheme", "structure").order_by("proposed_on", "pk"),
            ),
            "freins",
            "exits",
        )
        .order_by("pk")
    )
    for person in queryset:
        ref = str(person.public_id)
        reperage = next(iter(person.reperages.all()), None)
        pathway = person.pathway
        rows["personnes"].append([
            ref, person.last_name, person.first_name, _day(person.birth_date), person.sex, person.address,
            person.postcode, person.city, _number(person.lon), _number(person.lat), person.phone, person.email,
            name(pathway.structure), _day(reperage.spotted_on if reperage else None), reperage.channel if reperage else "",
            *_optional_person_cells(person),
        ])  # fmt: skip
        for c in sorted(person.contacts.all(), key=lambda c: (c.happened_at, c.pk)):
            rows["contacts"].append([ref, _moment(c.happened_at), c.kind, "oui" if c.initiated_by_person else ""])
        for h in person.handoffs.all():
            sender = "" if h.from_structure_id == pathway.structure_id else name(h.from_structure)
            rows["orientations"].append([
                ref, sender, name(h.to_structure), _day(h.sent_at), _day(h.acknowledged_at), _day(h.first_meeting_on),
                _day(h.refused_at), h.refusal_reason, _day(h.expired_at),
            ])  # fmt: skip
        for m in person.mobilisations.all():
            outcome = (
                m.state
                if m.state in (MobilisationState.EXITED, MobilisationState.ABANDONED, MobilisationState.REFUSED)
                else ""
            )
            in_charge = "" if m.structure_id == pathway.structure_id else name(m.structure)
            rows["mobilisations"].append([
                ref, m.scheme.code, in_charge, _day(m.proposed_on), _day(m.entered_on), _day(m.ended_on), outcome,
            ])  # fmt: skip
        for f in sorted(person.freins.all(), key=lambda f: (f.identified_on, f.pk)):
            rows["freins"].append(
                [ref, f.theme, _day(f.identified_on), _day(f.closed_on), "oui" if f.state == "non_levable" else ""]
            )
        for e in person.exits.all():
            hours = "" if e.weekly_hours is None else f"{e.weekly_hours.normalize():f}".replace(".", ",")
            rows["sorties"].append([
                ref, _day(e.exited_on), e.situation, _day(e.contract_start_on), _day(e.contract_end_on), hours,
            ])  # fmt: skip
    return rows


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def _qpv_entry(person: Person) -> str:
    """The QPV at entry as recorded: its code, ``hors_qpv``, or empty when unknown (to check, not located…)."""
    if person.qpv_entry_status == QPVStatus.IN and person.qpv_entry is not None:
        return person.qpv_entry.code
    return OUTSIDE_QPV if person.qpv_entry_status == QPVStatus.OUT else ""


def _optional_person_cells(person: Person) -> list[str]:
    """The optional columns of ``personnes`` (see columns.SHEETS): QPV at entry, the priority-public facts, the
    current single referent and the start of their period."""
    assignment = next(iter(person.open_referent), None)  # type: ignore[attr-defined]  # prefetched
    return [
        _qpv_entry(person), person.rsa or "", _yes_no(person.ft_registered), person.ft_category or "",
        _day(person.ft_registered_since), _yes_no(person.rqth), person.education_level or "",
        assignment.referent.email if assignment else "", _day(assignment.started_at) if assignment else "",
        *_manual_cells(person),
    ]  # fmt: skip


def _manual_cells(person: Person) -> list[str]:
    """A state set by hand (« perdu de vue », « refus »): the state and its day (the reason stays in the
    timeline: the takeover writes « État repris de l'historique. »)."""
    pathway = person.pathway
    if pathway.state not in MANUAL_STATES:
        return ["", "", ""]
    return [pathway.state, _day(pathway.state_changed_at), ""]


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def rows_of(values: Iterable[Sequence[Any]]) -> list[list[str]]:
    return [[str(v) for v in row] for row in values]
