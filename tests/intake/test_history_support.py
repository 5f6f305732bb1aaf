"""Helpers of the history takeover tests: sheets built in memory, the XLSX read back, a cohort generated through
the pathways services with real past dates, and its timelines in comparable form. (No test here.)"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone
from faker import Faker

from citemploi.accounts.models import Structure, StructureKind, User
from citemploi.intake.history.columns import SHEETS, column_names
from citemploi.pathways import services
from citemploi.pathways.choices import Channel, ContactKind, FreinTheme
from citemploi.pathways.models import Person
from citemploi.pathways.replay import day_moment, replaying
from citemploi.pathways.services.actions import handoff_expire
from citemploi.pathways.services.mobilisations import runs_scheme
from citemploi.pathways.states import FreinState, MobilisationState
from citemploi.schemes.models import Scheme
from tests.factories.accounts import StructureFactory


def make_table(headers: list[str], rows: list[list[str]]) -> Any:
    """A sheet as ``citemploi.intake.readers.Table`` gives it (every cell is text)."""
    try:
        from citemploi.intake.readers import Table
    except ImportError:  # pragma: no cover — before the readers branch is merged
        from dataclasses import dataclass

        @dataclass
        class Table:  # type: ignore[no-redef]
            headers: list[str]
            rows: Iterator[list[str]]
            encoding: str | None = None
            delimiter: str | None = None

    return Table(headers=headers, rows=iter(rows), encoding=None, delimiter=None)


def sheets(**rows: list[dict[str, str]]) -> dict[str, Any]:
    """Sheets from rows given as {column: value} (missing columns empty); ``personnes`` always present."""
    rows.setdefault("personnes", [])
    return {
        name: make_table(column_names(name), [[row.get(c, "") for c in column_names(name)] for row in values])
        for name, values in rows.items()
    }


def read_back(data: bytes, tmp_path: Path, name: str = "suivi.xlsx") -> dict[str, Any]:
    """The workbook read as the product reads it (``read_workbook``), openpyxl before the readers are merged."""
    path = tmp_path / name
    path.write_bytes(data)
    try:
        from citemploi.intake.readers import read_workbook
    except ImportError:  # pragma: no cover
        import csv

        import openpyxl

        if zipfile.is_zipfile(path) and name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                tables = {}
                for member in archive.namelist():
                    lines = list(csv.reader(io.StringIO(archive.read(member).decode()), delimiter=";"))
                    tables[member.removesuffix(".csv")] = make_table(lines[0], lines[1:])
                return tables
        book = openpyxl.load_workbook(path, read_only=True)
        result = {}
        for sheet in book.worksheets:
            values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            result[sheet.title] = make_table(values[0] if values else [], values[1:])
        return result
    return dict(read_workbook(path, filename=name))


def zip_of_csv(data: bytes) -> bytes:
    """The same workbook as a ZIP of ``<sheet>.csv`` files (UTF-8, ``;``)."""
    import csv

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for sheet in book.worksheets:
            if sheet.title not in SHEETS:
                continue
            text = io.StringIO()
            writer = csv.writer(text, delimiter=";")
            for row in sheet.iter_rows(values_only=True):
                writer.writerow(["" if v is None else str(v) for v in row])
            archive.writestr(f"{sheet.title}.csv", text.getvalue().encode())
    return buffer.getvalue()


def partners() -> list[Structure]:
    return [
        StructureFactory(kind=StructureKind.MISSION_LOCALE, name="Mission Locale fictive", siret="12345678900011"),
        StructureFactory(kind=StructureKind.FRANCE_TRAVAIL, name="Agence France Travail fictive"),
        StructureFactory(kind=StructureKind.PLIE, name="PLIE fictif"),
    ]


def build_cohort(*, by: User, relais: list[Structure], partner_list: list[Structure], size: int = 24) -> None:
    """A fictitious cohort in every state, written through the services with real past dates (inside a replay so
    that timeline lines and pathway moves carry those dates, as the takeover writes them)."""
    rng, fake = random.Random(12), Faker("fr_FR")
    fake.seed_instance(12)
    today = timezone.localdate()
    schemes = [s for s in Scheme.objects.order_by("code") if any(runs_scheme(p, s) for p in partner_list)]
    with replaying("saisie fictive"):
        for i in range(size):
            day = today - dt.timedelta(days=400 + rng.randint(0, 200))
            structure = relais[i % len(relais)]
            person = services.person_register(
                by=by, structure=structure, channel=list(Channel)[i % len(Channel)], spotted_on=day, locate=False,
                fields=services.PersonFields(
                    first_name=fake.first_name(), last_name=f"{fake.last_name()} Fictif{i}",
                    birth_date=dt.date(1970 + i, 1 + i % 12, 1 + i % 27), sex="FM"[i % 2],
                    email=f"{i}.fictif@demo-personne.invalid", phone=f"+3360000{i:04d}",
                ),
            )  # fmt: skip
            _history(person, by=by, stage=i % 8, i=i, day=day, rng=rng, schemes=schemes, partner_list=partner_list)


class _Clock:
    """The days of one person's history, moving forward."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def later(self, days: int) -> dt.date:
        self.day += dt.timedelta(days=days)
        return self.day


def _history(person: Person, *, by: User, stage: int, i: int, day: dt.date, rng: random.Random,
             schemes: list[Scheme], partner_list: list[Structure]) -> None:  # fmt: skip
    clock = _Clock(day)
    if stage == 0:
        return
    kinds = [k for k in ContactKind if k != ContactKind.DIAGNOSTIC]
    services.contact_record(by=by, person=person, kind=kinds[i % len(kinds)], happened_at=day_moment(clock.later(3)) - dt.timedelta(hours=2, minutes=30 * (i % 2)),
                            initiated_by_person=i % 3 == 0)  # fmt: skip
    if stage >= 2:
        services.contact_record(
            by=by, person=person, kind=ContactKind.DIAGNOSTIC, happened_at=day_moment(clock.later(5))
        )
        frein = services.frein_identify(
            by=by, person=person, theme=list(FreinTheme)[i % 14], identified_on=clock.later(1)
        )
        if stage >= 5:
            target = FreinState.NOT_LIFTABLE if i % 2 else FreinState.LIFTED
            services.frein_transition(by=by, frein=frein, target=target, on=clock.later(20))
    if stage >= 3:
        _handoff(person, by=by, stage=stage, i=i, clock=clock, partner_list=partner_list)
    if stage >= 4:
        _scheme(person, by=by, stage=stage, i=i, clock=clock, schemes=schemes, partner_list=partner_list)
    if stage in (6, 7):
        situation = ["cdi", "cdd", "formation", "chomage"][i % 4]
        start = clock.later(0)
        end = start + dt.timedelta(days=200) if situation == "cdd" else None
        services.exit_record(by=by, person=person, exited_on=clock.later(1), situation=situation, contract_end_on=end,
                             contract_start_on=start if situation == "cdd" else None,
                             weekly_hours=35 if situation in ("cdi", "cdd") else None)  # fmt: skip


def _handoff(person: Person, *, by: User, stage: int, i: int, clock: _Clock, partner_list: list[Structure]) -> None:
    partner = partner_list[i % len(partner_list)]
    handoff = services.handoff_send(by=by, person=person, to_structure=partner, reason="Fictif", shared=[],
                                    at=day_moment(clock.later(2)))  # fmt: skip
    answer = i % 4
    if answer in (1, 2):
        handoff = services.handoff_acknowledge(by=by, handoff=handoff, at=day_moment(clock.later(1)))
    if answer == 2:
        services.handoff_first_meeting(by=by, handoff=handoff, met_on=clock.later(4))
    if answer == 3:
        services.handoff_refuse(by=by, handoff=handoff, reason="Hors critères (fictif)", at=day_moment(clock.later(2)))
    if answer == 0 and stage % 2:
        handoff_expire(by=by, handoff=handoff, at=day_moment(clock.later(30)))


def _scheme(person: Person, *, by: User, stage: int, i: int, clock: _Clock, schemes: list[Scheme],
            partner_list: list[Structure]) -> None:  # fmt: skip
    scheme = schemes[i % len(schemes)]
    runner = next(p for p in partner_list if runs_scheme(p, scheme))
    mobilisation = services.mobilisation_propose(
        by=by, person=person, scheme=scheme, structure=runner, on=clock.later(3)
    )
    move = services.mobilisation_transition
    if stage == 7:
        move(by=by, mobilisation=mobilisation, target=MobilisationState.REFUSED, on=clock.later(5))
    elif stage >= 5:
        entry = clock.later(10)
        for target in (MobilisationState.ORIENTED, MobilisationState.ACCEPTED, MobilisationState.ENTERED):
            mobilisation = move(by=by, mobilisation=mobilisation, target=target, on=entry)
    if stage == 6:
        move(by=by, mobilisation=mobilisation, target=MobilisationState.EXITED, on=clock.later(60))


def timelines(people: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Each person's history in comparable form (no identifiers): records, states, dates, timeline lines."""
    local = timezone.localdate
    result = {}
    for p in people.select_related("pathway__structure").order_by("pk"):
        pathway = p.pathway
        result[(p.last_name, p.first_name)] = {
            "person": (p.birth_date, p.sex, p.email, p.phone, p.address, p.postcode, p.city, p.lon, p.lat,
                       p.qpv_status, p.qpv_id, p.qpv_entry_status, p.qpv_entry_on, local(p.retention_from)),
            "pathway": (pathway.state, pathway.structure_id, local(pathway.state_changed_at), pathway.entered_on,
                        pathway.last_contact_at and local(pathway.last_contact_at)),
            "reperages": sorted((r.channel, r.spotted_on, r.structure_id) for r in p.reperages.all()),
            "contacts": sorted((timezone.localtime(c.happened_at), c.kind, c.initiated_by_person) for c in p.contacts.all()),
            "freins": sorted((f.theme, f.state, f.identified_on, f.closed_on) for f in p.freins.all()),
            "handoffs": sorted(
                (h.from_structure_id, h.to_structure_id, h.state, local(h.sent_at),
                 h.acknowledged_at and local(h.acknowledged_at), h.first_meeting_on,
                 h.refused_at and local(h.refused_at), h.refusal_reason, h.expired_at and local(h.expired_at))
                for h in p.handoffs.all()
            ),
            "mobilisations": sorted(
                (m.scheme_id, m.structure_id, m.state, m.proposed_on, m.entered_on, m.ended_on, m.state_changed_on)
                for m in p.mobilisations.all()
            ),
            "exits": sorted(
                (e.exited_on, e.situation, e.category, e.contract_start_on, e.contract_end_on, e.weekly_hours)
                for e in p.exits.all()
            ),
            "followups": sorted((f.months, f.due_on) for f in p.exits.first().followups.all()) if p.exits.exists() else [],
            "timeline": sorted((t.kind, local(t.at)) for t in p.timeline.all()),
        }  # fmt: skip
    return result
