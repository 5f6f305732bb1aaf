"""``analyse``: read the history workbook's sheets, type every cell, check every row against the state machines
and the date rules of the product, and build the plan. Nothing is written."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import ValidationFailed
from citemploi.intake import cells
from citemploi.intake.errors import RowError
from citemploi.intake.history.checks import check_person
from citemploi.intake.history.columns import (
    NOTICE_SHEET,
    SHEETS,
    column_names,
    manual_state_codes,
    qpv_codes,
    required_column_names,
    scheme_codes,
)
from citemploi.intake.history.plan import (
    ContactRow,
    ExitRow,
    FreinRow,
    HandoffRow,
    HistoryPlan,
    MobilisationRow,
    PersonPlan,
    PersonRow,
)
from citemploi.intake.history.referents import Referents
from citemploi.intake.history.rows import Row, Structures, code_table, fold
from citemploi.pathways import dates
from citemploi.pathways.choices import (
    RSA,
    Channel,
    ContactKind,
    EducationLevel,
    ExitSituation,
    FreinTheme,
    FTCategory,
    Sex,
)
from citemploi.pathways.services.inputs import PersonFields
from citemploi.schemes.models import Scheme

#: A time after the date (« 12/03/2024 14:30 », « 2024-03-12 14:30:00 »).
_TIME = re.compile(r"[ T]\d{1,2}[:h]\d{2}")


class TableLike(Protocol):
    """What ``analyse`` reads of a sheet (``citemploi.intake.readers.Table``)."""

    headers: list[str]
    rows: Iterator[list[str]]


def _codes(enum: type[models.TextChoices]) -> dict[str, str]:
    return code_table([(str(v), str(label)) for v, label in enum.choices])


class _Reader:
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        self.structures = Structures()
        self.schemes = {s.code: s for s in Scheme.objects.all()}
        self.scheme_table = code_table(scheme_codes())
        self.channels, self.kinds = _codes(Channel), _codes(ContactKind)
        self.themes, self.situations = _codes(FreinTheme), _codes(ExitSituation)
        self.outcomes = code_table([("sortie", "sortie"), ("abandon", "abandon"), ("refusee", "refusée")])
        self.rsa, self.ft_categories, self.levels = _codes(RSA), _codes(FTCategory), _codes(EducationLevel)
        self.qpvs = code_table(qpv_codes(territory_only=False))
        self.referents = Referents()
        self.manual_states = code_table(manual_state_codes())

    def rows(self, sheet: str, table: TableLike | None) -> Iterable[Row]:
        if table is None:
            return
        headers = [h.strip() for h in table.headers]
        expected = column_names(sheet)
        missing = [c for c in required_column_names(sheet) if c not in headers]  # optional ones may be absent
        unknown = [h for h in headers if h and h not in expected]
        duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
        for name in missing:
            self.errors.append(
                RowError(
                    row=1, column=name, sheet=sheet, message=_("Colonne manquante : « %(name)s ».") % {"name": name}
                )
            )
        for name in unknown:
            self.errors.append(
                RowError(
                    row=1,
                    column=name,
                    sheet=sheet,
                    message=_("Colonne inconnue : « %(name)s » (colonnes attendues : %(expected)s).")
                    % {"name": name, "expected": ", ".join(expected)},
                )
            )
        for name in duplicated:
            self.errors.append(
                RowError(
                    row=1, column=name, sheet=sheet, message=_("Colonne en double : « %(name)s ».") % {"name": name}
                )
            )
        if missing or unknown or duplicated:
            return
        for number, values in enumerate(table.rows, start=2):
            if not any(v.strip() for v in values):
                continue
            yield Row(
                sheet,
                number,
                dict(zip(headers, [*values, *[""] * (len(headers) - len(values))], strict=False)),
                self.errors,
            )

    def person(self, row: Row) -> PersonRow | None:
        ref = row.text("ref", max_length=100, required=True)
        last, first = row.text("nom", max_length=100, required=True), row.text("prenom", max_length=100, required=True)
        birth = row._parse("date_naissance", cells.parse_date)
        if birth is not None:
            try:
                dates.check_birth_date(birth)
            except ValidationFailed as problem:
                row.error("date_naissance", str(problem.message))
        sex = row._parse("sexe", cells.parse_sex) or ""
        if sex and sex not in Sex.values:
            row.error("sexe", _("Sexe attendu : F ou M."))
        fields = PersonFields(
            first_name=first,
            last_name=last,
            birth_date=birth,
            sex=sex,
            address=row.text("adresse", max_length=250),
            postcode=row._parse("code_postal", cells.parse_postcode) or "",
            city=row.text("commune", max_length=100),
            phone=row._parse("telephone", cells.parse_phone) or "",
            email=row._parse("email", cells.parse_email) or "",
            # Optional columns: an empty cell or an absent column is « non renseigné » (None), never « non ».
            rsa=row.code("rsa", self.rsa) or None,
            ft_registered=row.yes_no("inscrit_france_travail"),
            ft_category=row.code("categorie_france_travail", self.ft_categories) or None,
            ft_registered_since=row.day("inscrit_france_travail_depuis"),
            rqth=row.yes_no("rqth"),
            education_level=row.code("niveau_formation", self.levels),
        )
        lon, lat = row.real("lon", low=-180, high=180), row.real("lat", low=-90, high=90)
        if (row.raw("lon") == "") != (row.raw("lat") == ""):
            row.error("lon" if not row.raw("lon") else "lat", _("Indiquez lon et lat ensemble (ou aucune des deux)."))
        structure = row.structure("structure_referente", self.structures, required=True)
        spotted_on = row.day("date_reperage", required=True)
        channel = row.code("canal_reperage", self.channels, required=True)
        qpv_entry = row.code("qpv_entree", self.qpvs)
        referent, referent_on = self.referents.read(row, structure, spotted_on)
        manual, manual_on = row.code("etat_manuel", self.manual_states), row.day("date_etat_manuel")
        if manual and manual_on is None and not row.failed_on("date_etat_manuel"):
            row.error("date_etat_manuel", _("Indiquez la date du changement d'état."))
        elif manual_on is not None and not manual:
            row.error("etat_manuel", _("Une date de changement d'état sans état : indiquez etat_manuel."))
        reason = row.text("motif_etat_manuel", max_length=500)
        if row.failed or structure is None or spotted_on is None:
            return None
        return PersonRow(
            row.line, ref, fields, structure, spotted_on, channel, lon, lat, qpv_entry, referent, referent_on,
            manual, manual_on, reason,
        )  # fmt: skip

    def contact(self, row: Row) -> ContactRow | None:
        ref, on = row.text("ref", required=True), row.day("date", required=True)
        kind = row.code("type", self.kinds, required=True)
        initiated = row.yes_no("initiative_personne")
        at = row._parse("date", cells.parse_datetime) if _TIME.search(row.raw("date")) else None
        return None if row.failed or on is None else ContactRow(row.line, ref, on, kind, initiated, at)

    def handoff(self, row: Row) -> HandoffRow | None:
        ref = row.text("ref", required=True)
        sender = row.structure("structure_emettrice", self.structures)
        receiver = row.structure("structure_destinataire", self.structures, required=True)
        sent = row.day("date_envoi", required=True)
        handoff = HandoffRow(
            row.line, ref, sender, receiver,  # type: ignore[arg-type]  # checked below
            sent,  # type: ignore[arg-type]
            acknowledged_on=row.day("date_accuse"),
            first_meeting_on=row.day("date_premier_rdv"),
            refused_on=row.day("date_refus"),
            refusal_reason=row.text("motif_refus", max_length=2000),
            expired_on=row.day("date_expiration"),
        )  # fmt: skip
        return None if row.failed or receiver is None or sent is None else handoff

    def mobilisation(self, row: Row) -> MobilisationRow | None:
        ref = row.text("ref", required=True)
        code = row.code("dispositif", self.scheme_table, required=True)
        structure = row.structure("structure", self.structures)
        proposed = row.day("date_proposition", required=True)
        mobilisation = MobilisationRow(
            row.line, ref, self.schemes.get(code), structure, proposed,  # type: ignore[arg-type]  # checked below
            entered_on=row.day("date_entree"), ended_on=row.day("date_fin"), outcome=row.code("issue", self.outcomes),
        )  # fmt: skip
        return None if row.failed or not code or proposed is None else mobilisation

    def frein(self, row: Row) -> FreinRow | None:
        ref, theme = row.text("ref", required=True), row.code("theme", self.themes, required=True)
        identified = row.day("date_identification", required=True)
        frein = FreinRow(row.line, ref, theme, identified, row.day("date_levee"), row.yes_no("non_levable"))  # type: ignore[arg-type]
        return None if row.failed or identified is None else frein

    def exit(self, row: Row) -> ExitRow | None:
        ref, on = row.text("ref", required=True), row.day("date_sortie", required=True)
        situation = row.code("situation", self.situations, required=True)
        start, end = row._parse("debut_contrat", cells.parse_date), row._parse("fin_contrat", cells.parse_date)
        hours = row.decimal("heures_hebdo", high=Decimal(99))
        return None if row.failed or on is None else ExitRow(row.line, ref, on, situation, start, end, hours)


def _workbook_errors(sheets: Mapping[str, TableLike], by: User | None) -> list[RowError]:
    """Errors of the whole workbook: the actor, unknown sheets, no « personnes » sheet."""
    errors = []
    if by is None or not is_coordinator(by):
        message = _("La reprise de l'historique se fait au nom d'un compte de la coordination.")
        errors.append(RowError(row=1, column="", message=message))
    for name in sheets:
        if fold(name) not in SHEETS and fold(name) != NOTICE_SHEET:
            message = _("Feuille inconnue : « %(name)s » (feuilles attendues : %(expected)s).") % {
                "name": name,
                "expected": ", ".join(SHEETS),
            }
            errors.append(RowError(row=1, column="", sheet=name, message=message))
    if "personnes" not in {fold(name) for name in sheets}:
        message = _("La feuille « personnes » est absente du classeur.")
        errors.append(RowError(row=1, column="", sheet="personnes", message=message))
    return errors


def _people(reader: _Reader, table: TableLike | None, failed: set[str]) -> dict[str, PersonPlan]:
    people: dict[str, PersonPlan] = {}
    for row in reader.rows("personnes", table):
        person = reader.person(row)
        ref = row.raw("ref")
        if ref and (ref in people or ref in failed):
            message = _("La ref « %(ref)s » est déjà sur une autre ligne de la feuille personnes.") % {"ref": ref}
            row.error("ref", message)
            people.pop(ref, None)
            failed.add(ref)
        elif person is None:
            failed.add(ref)
        else:
            people[ref] = PersonPlan(person)
    return people


def _children(
    reader: _Reader, tables: Mapping[str, TableLike], people: dict[str, PersonPlan], failed: set[str]
) -> None:
    children: tuple[tuple[str, Callable[[Row], object | None], str], ...] = (
        ("contacts", reader.contact, "contacts"),
        ("orientations", reader.handoff, "handoffs"),
        ("mobilisations", reader.mobilisation, "mobilisations"),
        ("freins", reader.frein, "freins"),
        ("sorties", reader.exit, "exits"),
    )
    for sheet, read, attribute in children:
        for row in reader.rows(sheet, tables.get(sheet)):
            item = read(row)
            ref = row.raw("ref")
            if ref and ref not in people and ref not in failed:
                row.error("ref", _("La ref « %(ref)s » n'est pas dans la feuille personnes.") % {"ref": ref})
            elif item is None:
                failed.add(ref)
            elif ref in people:
                getattr(people[ref], attribute).append(item)


def analyse(sheets: Mapping[str, TableLike], *, by: User | None) -> HistoryPlan:
    """Read and check the workbook (sheets by name: ``personnes`` required, the others optional; ``notice``
    ignored). Returns the plan: the people whose every row is valid, every error, the counts."""
    plan = HistoryPlan(errors=_workbook_errors(sheets, by))
    tables = {fold(name): table for name, table in sheets.items()}
    if "personnes" not in tables:
        plan.counts = {"erreurs": len(plan.errors)}
        return plan
    reader = _Reader(plan.errors)
    failed: set[str] = set()
    people = _people(reader, tables["personnes"], failed)
    _children(reader, tables, people, failed)
    for ref, history in people.items():
        if not check_person(history, plan.errors):
            failed.add(ref)
    plan.people = [person for ref, person in people.items() if ref not in failed]
    plan.counts = {
        "personnes": len(plan.people),
        "contacts": sum(len(p.contacts) for p in plan.people),
        "orientations": sum(len(p.handoffs) for p in plan.people),
        "mobilisations": sum(len(p.mobilisations) for p in plan.people),
        "freins": sum(len(p.freins) for p in plan.people),
        "sorties": sum(len(p.exits) for p in plan.people),
        "personnes_en_erreur": len(failed - {""}),
        "erreurs": len(plan.errors),
    }
    return plan
