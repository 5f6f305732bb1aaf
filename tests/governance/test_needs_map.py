"""The coverage map of the register (issue 15 §5): needs × QPV as a table and a choropleth, masked below the
coordinator (the map shows the table's published totals), the evidence behind a cell for the coordinator only,
query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citemploi.core.errors import PermissionDenied
from citemploi.governance.models import Need, NeedSignal
from citemploi.governance.needs.coverage_map import coverage_table, evidence
from citemploi.territory.models import QPV
from tests.conftest import login_client
from tests.factories.territory import ensure_territory, load_square_qpv

pytestmark = pytest.mark.django_db

MAP = "/pilotage/besoins/carte/"
EVIDENCE = "/pilotage/besoins/carte/signaux/"


def _month(n: int) -> dt.date:
    first = dt.date.today().replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def _need(
    qpv: str, thematique: str, *counts: tuple[str, int], state: str = "signale", age: str = "tous", situation: str = ""
) -> Need:
    need = Need.objects.create(
        thematique=thematique, qpv_code=qpv, state=state, age_band=age, situation=situation or "tous-publics"
    )
    for n, (source, count) in enumerate(counts):
        NeedSignal.objects.create(need=need, source=source, month=_month(n), count=count)
    return need


@pytest.fixture
def qpvs(db):
    ensure_territory()
    first = load_square_qpv("QN04298M", lon=4.38, lat=45.44)
    second = load_square_qpv("QN04297M", lon=4.41, lat=45.45)
    return first.code, second.code


def test_the_coordinator_reads_every_count_and_the_state_copilot_the_masked_table(world, qpvs):
    a, b = qpvs
    _need(a, "mobilite--preparer-un-permis", ("aucune_solution", 9), ("frein_non_levable", 4))
    _need(a, "famille--garde-denfants", ("signalement", 2))
    _need(b, "mobilite", ("frein_non_levable", 12))
    _need("", "numerique", ("signalement", 3))
    _need(b, "mobilite--acceder-a-un-vehicule", ("aucune_solution", 50), state="couvert")  # not open: left out

    full = coverage_table(masked=False)
    rows = {r.code: r for r in full.rows}
    assert rows[a].total.value == 15 and rows[a].needs == 2
    assert rows[b].total.value == 12 and rows[""].total.value == 3
    assert full.total.value == 30 and full.needs == 4

    masked = coverage_table(masked=True)
    shown = {r.code: r for r in masked.rows}
    family = [c for c in shown[a].cells if c.categorie == "famille"][0]
    assert family.value is None and family.text == "< 6"  # 2 people: masked
    assert shown[""].total.value is None  # 3 people
    assert shown[a].needs == 2  # a count of needs, not of people

    values, hidden = masked.map_values()
    assert values[b] == 12 or values[b] is None
    assert {code for code, v in values.items() if v is None} == hidden
    assert "" not in values  # the territory row is not on the map


def test_the_map_page_is_masked_for_the_state_copilot_and_offers_no_drill_down(world, qpvs):
    a, _b = qpvs
    _need(a, "famille--garde-denfants", ("signalement", 2))
    _need(a, "mobilite", ("frein_non_levable", 12))
    html = login_client(world.users["state_copilot"]).get(MAP).content.decode()
    assert "Secret statistique" in html and "&lt; 6" in html
    assert EVIDENCE not in html
    data = json.loads(re.search(r'<script id="needs-map" type="application/json">(.*?)</script>', html, re.S)[1])
    feature = next(f for f in data["features"] if f["properties"]["code"] == a)
    assert feature["properties"]["value"] is None or feature["properties"]["value"] >= 6
    assert (
        login_client(world.users["state_copilot"]).get(EVIDENCE, {"qpv": a, "categorie": "famille"}).status_code == 403
    )


def test_the_coordinator_drills_down_to_the_signals_by_source_and_month(world, qpvs):
    a, _b = qpvs
    _need(a, "mobilite--preparer-un-permis", ("aucune_solution", 9), ("frein_non_levable", 4), age="moins_26")
    html = login_client(world.users["coordinator"]).get(MAP).content.decode()
    assert f"{EVIDENCE}?qpv={a}&amp;categorie=mobilite" in html
    page = login_client(world.users["coordinator"]).get(EVIDENCE, {"qpv": a, "categorie": "mobilite"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Préparer un permis" in text or "permis" in text.lower()
    (item,) = evidence(world.users["coordinator"], qpv_code=a, categorie="mobilite")
    assert item.total == 13 and len(item.months) == 2
    with pytest.raises(PermissionDenied):
        evidence(world.users["state_copilot"], qpv_code=a, categorie="mobilite")


THEMES = ["mobilite", "famille--garde-denfants", "numerique", "mobilite--preparer-un-permis"]
AGES = ["moins_26", "26_49", "50_plus", "tous"]
PUBLICS = ["tous-publics", "jeunes", "femmes", "seniors", "demandeurs-emploi", "familles"]


def _grow(qpv_codes: list[str], start: int, n: int) -> None:
    """``n`` more needs (each a distinct thématique × public × QPV), with signals of every source."""
    for i in range(start, start + n):
        _need(
            qpv_codes[i % len(qpv_codes)],
            THEMES[i % 4],
            ("aucune_solution", 1 + i % 7),
            ("frein_non_levable", 2 + i % 5),
            ("signalement", 1),
            age=AGES[(i // 4) % 4],
            state="signale" if i % 3 else "qualifie",
            situation=PUBLICS[(i // 16) % len(PUBLICS)],
        )


def _count(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["coordinator", "state_copilot"])
def test_the_map_page_reads_the_same_number_of_queries_at_two_sizes(world, qpvs, persona):
    codes = list(QPV.objects.filter(in_territory=True).values_list("code", flat=True)[:6])
    client = login_client(world.users[persona])
    counts = []
    for start, n in ((0, 3), (3, 30)):
        _grow(codes, start, n)
        counts.append(_count(client, MAP))
    assert counts[0] == counts[1], counts


def test_the_evidence_page_reads_the_same_number_of_queries_at_two_sizes(world, qpvs):
    a, _b = qpvs
    client = login_client(world.users["coordinator"])
    counts = []
    for start, n in ((0, 2), (2, 24)):
        _grow([a], start, n)
        counts.append(_count(client, EVIDENCE, {"qpv": a, "categorie": "mobilite"}))
    assert counts[0] == counts[1], counts
