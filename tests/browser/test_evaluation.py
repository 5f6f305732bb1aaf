"""Evaluation in Chromium: the coordinator opens the dashboard, changes the period and the QPV, exports XLSX; the
State co-pilot sees the same page masked (no count of 1 to 5, no name, no drill-down), on the page and in the
export; every new page passes axe-core at 1366 and 390 px; each chart has its data table."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from citemploi.accounts.models import Role
from citemploi.pathways import services
from citemploi.pathways.models import Person
from citemploi.territory.models import QPV
from tests.browser.conftest import axe_violations, follow, login
from tests.factories.accounts import TEST_PASSWORD, StructureFactory, user_with_role
from tests.factories.pathways import make_person
from tests.factories.territory import ensure_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _data():
    """Eight people spotted this year and contacted today, three of them in one QPV, two freins."""
    ensure_territory()
    relais = StructureFactory(relais=True, name="Relais emploi fictif")
    agent = user_with_role(Role.RELAIS_AGENT, relais, email="agent@exemple.test")
    qpv = QPV.objects.filter(in_territory=True).order_by("name").first()
    today = timezone.localdate()
    for i in range(8):
        person = make_person(
            by=agent, spotted_on=dt.date(today.year, 1, 10), first_name="Camille", last_name=f"Test{i}"
        )
        services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
        if i < 3:
            Person.objects.filter(pk=person.pk).update(qpv_entry=qpv, qpv_entry_status="in")
        if i < 2:
            services.frein_identify(by=agent, person=person, theme="mobilite")
    user_with_role(Role.COORDINATOR, email="coord@exemple.test", is_demo_account=True)
    user_with_role(Role.STATE_COPILOT, email="etat@exemple.test", is_demo_account=True)
    return qpv


def _small_counts(text: str) -> list[str]:
    return re.findall(r"(?<![\d,<])\b[1-5]\b(?![\d,%])(?! j)", text)


def _xlsx_values(path: str) -> list:
    book = load_workbook(path)
    assert book.sheetnames[0] == "informations" and book.sheetnames[-1] == "définitions"
    rows = list(book["Indicateurs"].iter_rows(values_only=True))
    return [
        c for row in rows if len(row) > 4 and row[1] in ("spotted", "entered", "freins_lifted_rate") for c in row[2:5]
    ]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_coordinator_changes_period_and_qpv_and_exports(page, live_server, settings, width, tmp_path):
    settings.DEMO_MODE = True
    qpv = _data()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/evaluation/")
    assert page.locator('tr[data-indicator="spotted"] td[data-value]').inner_text().startswith("8")
    assert axe_violations(page) == []
    page.locator("#id_kind").select_option("month")
    page.locator("#id_start").fill(f"{timezone.localdate():%Y-%m-%d}")
    page.locator("#id_qpv").select_option(qpv.code)
    follow(page.get_by_role("button", name="Afficher").first)
    assert page.locator('tr[data-indicator="entered"] td[data-value]').inner_text().startswith("3")
    assert page.locator('tr[data-indicator="entered"] td[data-value] a').count() == 1  # the coordinator's drill-down
    with page.expect_download() as download:
        page.locator('a[data-export="xlsx"]').click()
    target = tmp_path / "export.xlsx"
    download.value.save_as(target)
    assert 3 in _xlsx_values(str(target))
    page.goto(f"{live_server.url}/evaluation/entonnoir/")
    assert page.locator("figure[data-chart] table").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1366, 390])
def test_the_state_copilot_sees_the_same_page_masked(page, live_server, settings, width, tmp_path):
    settings.DEMO_MODE = True
    _data()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "etat@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/evaluation/?by=qpv")
    table = page.locator("table[data-indicators] tbody")
    values = " ".join(table.locator("td").all_inner_texts())
    assert "< 6" in values and not _small_counts(values)
    assert page.locator("a[href*='/evaluation/personnes/']").count() == 0
    assert "Camille" not in page.content() and "Test1" not in page.content()
    assert page.locator("figure[data-chart] table").count() == 1  # the chart's data table
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.locator('a[data-export="xlsx"]').click()
    target = tmp_path / "export.xlsx"
    download.value.save_as(target)
    exported = _xlsx_values(str(target))
    assert "s" in exported and not [v for v in exported if isinstance(v, int) and 1 <= v <= 5]
    page.goto(f"{live_server.url}/evaluation/entonnoir/")
    assert "< 6" in page.locator("table[data-funnel]").inner_text()
    assert axe_violations(page) == []
