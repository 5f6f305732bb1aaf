"""The dashboard, the funnel, the export and the drill-down, as each role sees them (on the cohort)."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from citemploi.evaluation.registry import CONTRACT_IDS, COUNT, indicators
from tests.conftest import login_client
from tests.evaluation.cohort import EXPECTED

pytestmark = pytest.mark.django_db

QUERY = {"kind": "range", "start": "2025-01-01", "end": "2025-06-30"}


def _numbers(html: str) -> list[int]:
    cells = re.findall(r"<td[^>]*>\s*(?:<a [^>]*>)?\s*([0-9][0-9  ]*)\s*(?:</a>)?\s*(?:<br>|</td>)", html)
    return [int(c.replace(" ", "").replace(" ", "")) for c in cells]


def test_the_coordinator_sees_every_figure_and_the_people_behind(cohort, world):
    client = login_client(world.users["coordinator"])
    response = client.get(reverse("evaluation:dashboard"), {**QUERY, "by": "sex"})
    html = response.content.decode()
    assert response.status_code == 200
    row = re.search(r'data-indicator="entered".*?</tr>', html, re.S).group(0)
    assert ">28<" in row and "evaluation/personnes/" in row
    people = client.get(reverse("evaluation:people"), {**QUERY, "indicator": "handoffs_lost"})
    assert people.status_code == 200
    assert people.context["count"] == 2  # p11 (refused) and p17 (expired)


def test_the_state_copilot_sees_the_same_page_masked(cohort, world):
    client = login_client(world.users["state_copilot"])
    html = client.get(reverse("evaluation:dashboard"), {**QUERY, "by": "sex"}).content.decode()
    assert "data-masked" in html
    assert not [n for n in _numbers(html) if 1 <= n <= 5]
    assert "&lt; 6" in html
    assert "evaluation/personnes/" not in html and "Prénom" not in html
    denied = client.get(reverse("evaluation:people"), {**QUERY, "indicator": "entered"})
    assert denied.status_code == 403


def test_the_export_is_masked_like_the_page(cohort, world):
    for persona, masked in (("coordinator", False), ("state_copilot", True)):
        response = login_client(world.users[persona]).get(reverse("evaluation:export"), {**QUERY, "format": "xlsx"})
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["informations", "Indicateurs", "Série mensuelle", "définitions"]
        counts = {i.id for i in indicators() if i.kind == COUNT}
        values = []  # the counts of people: count values, numerators, denominators, previous counts, groups
        for row in book["Indicateurs"].iter_rows(values_only=True):
            if len(row) > 5 and row[1] in CONTRACT_IDS:
                values += [row[3], row[4]] + (list(row[2:]) if row[1] in counts else [])
        small = [v for v in values if isinstance(v, int) and 1 <= v <= 5]
        assert bool(small) is not masked
        assert ("s" in values) is masked


def test_a_caseworker_sees_their_caseload_beside_the_territory(cohort, world):
    html = login_client(world.users["outsider"]).get(reverse("evaluation:dashboard"), QUERY).content.decode()
    assert "Votre file active" in html and "Prénom" not in html


def test_the_funnel_lists_every_qpv_and_the_territory(cohort, world):
    response = login_client(world.users["coordinator"]).get(reverse("evaluation:funnel"), QUERY)
    assert response.status_code == 200
    rows = response.context["funnel"].lines
    total = rows[-1]
    assert total.is_total and total.steps[0] == 32 and total.steps[1] == 28  # spotted in P, then contacted
    assert {line.key for line in rows} >= {"QN04299M", "QN04298M"}
    masked = login_client(world.users["steering_member"]).get(reverse("evaluation:funnel"), QUERY)
    assert masked.status_code == 200 and "data-masked" in masked.content.decode()


def test_the_api_masks_like_the_pages(cohort, world):
    url = reverse("api:indicators")
    query = {"from": "2025-01-01", "to": "2025-06-30", "by": "public"}
    coordinator = login_client(world.users["coordinator"]).get(url, query).json()
    assert coordinator["masked"] is False
    got = {k: (v["numerator"], v["denominator"], v["value"]) for k, v in coordinator["indicators"].items()}
    assert {k: got[k] for k in EXPECTED} == EXPECTED
    assert "rqth" in coordinator["indicators"]["entered"]["groups"]
    state = login_client(world.users["state_copilot"]).get(url, query).json()
    entered = state["indicators"]["entered"]
    assert state["masked"] is True and "rqth" not in entered["groups"]
    assert entered["groups"]["rsa"] == {**entered["groups"]["rsa"], "numerator": None, "value": None, "masked": True}
    lost = state["indicators"]["handoffs_lost"]  # 2 / 10: the numerator is masked, so is the rate
    assert (lost["numerator"], lost["denominator"], lost["value"], lost["masked"]) == (None, 10, None, True)
    bad = login_client(world.users["state_copilot"]).get(url, {"from": "2025-13-01", "to": "x"})
    assert bad.status_code == 400 and "AAAA-MM-JJ" in bad.json()["detail"]
