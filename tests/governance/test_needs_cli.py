"""``citemploi needs export|sync`` (issue 15 item 5, CLI contract): one row per need, masked for steering, never a
name, formula injection neutralised; ``sync`` idempotent; fixed query counts at two sizes. And the COPIL pack's
« besoins non couverts » section."""

from __future__ import annotations

import csv

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from citemploi.governance.needs import exports, services
from citemploi.governance.needs.models import Need
from citemploi.governance.pack import COORDINATOR, STEERING, meeting_period, pack_build, pack_content
from citemploi.pathways.models import Person
from citemploi.territory.models import QPV
from tests.factories.governance import copil, meeting
from tests.governance.needs_world import QPV_CODE, signals

pytestmark = pytest.mark.django_db


def _read_csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.reader(handle, delimiter=";"))


def _names() -> list[str]:
    return [n for p in Person.objects.all() for n in (p.first_name, p.last_name)]


@pytest.fixture
def register(world):
    signals(world)
    services.need_report(
        by=world.users["referent"], thematique="numerique", age_band="tous", situation="tous-publics",
        qpv_code=QPV_CODE, count=9, note="Pas de fibre",
    )  # fmt: skip
    QPV.objects.filter(code=QPV_CODE).update(name='=HYPERLINK("http://exemple.test")')  # a formula in a cell
    return world


@pytest.mark.parametrize("audience", ["coordinator", "steering"])
def test_the_csv_export_has_one_row_per_need_and_no_name(register, tmp_path, audience):
    out = tmp_path / "besoins.csv"
    call_command("needs", "export", "--audience", audience, "--format", "csv", str(out))
    rows = _read_csv(out)
    assert rows[0] == exports.header()
    assert len(rows) == 1 + Need.objects.count() == 4
    text = out.read_text(encoding="utf-8-sig")
    for name in _names():
        assert name not in text
    mobility = next(r for r in rows if r[1] == "mobilite")
    signals_col = rows[0].index("Frein non levable")
    assert mobility[signals_col] == ("2" if audience == "coordinator" else "s")


def test_the_xlsx_export_is_masked_for_steering(register, tmp_path):
    out = tmp_path / "besoins.xlsx"
    call_command("needs", "export", "--audience", "steering", "--format", "xlsx", str(out))
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == exports.header() and len(rows) == 4
    digital = next(r for r in rows if r[1] == "numerique")
    assert digital[rows[0].index("Frein non levable")] == 0  # zero is never masked
    assert digital[rows[0].index("QPV")] == '\'=HYPERLINK("http://exemple.test")'
    assert all(not (isinstance(v, str) and v[:1] in "=+-@") for row in rows for v in row)
    for name in _names():
        assert all(name not in str(v) for row in rows for v in row)


def test_the_export_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError):
        call_command("needs", "export", "--audience", "steering", "--format", "csv", str(tmp_path / "x" / "b.csv"))


def test_sync_is_idempotent_from_the_command(world, capsys):
    signals(world)
    call_command("needs", "sync")
    assert "0 besoin(s) créé(s), 0 signal(aux) ajouté(s), 0 mis à jour" in capsys.readouterr().out


@pytest.mark.parametrize("rounds", [1, 5])
def test_the_export_runs_a_fixed_number_of_queries(world, tmp_path, max_queries, rounds):
    signals(world, rounds)
    for i in range(rounds):
        services.need_report(
            by=world.users["referent"], thematique=["sante", "numerique", "famille", "se-former", "mobilite"][i],
            age_band="tous", situation="tous-publics", qpv_code="", count=i + 1,
        )  # fmt: skip
    with max_queries(9):
        exports.write(tmp_path / "b.csv", audience="steering", fmt="csv")


def test_the_copil_pack_lists_the_needs_masked_for_steering(register):
    held = meeting(copil(register), days=-3, title="COPIL de printemps")
    pack = pack_build(by=None, period=meeting_period(held), meeting=held)
    full = pack_content(pack, audience=COORDINATOR).needs
    masked = pack_content(pack, audience=STEERING).needs
    assert {n["thematique"] for n in full} == {"Préparer un permis", "Mobilité", "Numérique"}
    mobility = next(n for n in masked if n["thematique"] == "Mobilité")
    assert mobility["signals"] == "< 6"
    assert next(n for n in full if n["thematique"] == "Mobilité")["signals"] == "2"
    for name in _names():
        assert name not in str(full) + str(masked)
