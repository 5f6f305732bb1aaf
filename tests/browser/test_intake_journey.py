"""Issue 12, « Done when », in Chromium: a Mission Locale referent uploads an I-Milo-like XLSX of 2,000 fictitious
people, fixes one column of the proposed mapping, sees the per-row errors, confirms, follows the progress bar, gets
the sorted result and bulk-spots the in-QPV not-followed people; the coordinator then undoes the import and every
table's row count is back. axe-core (serious/critical) on every new page, at 1366 and 390 px.

The background tasks are held (``kinds.enqueue_*`` recorded instead of run at once) so that the page shows its
progress bar; the test then runs the task, as the worker would, and the page reloads by itself when it is done.
No network: the local BAN geocoder over the test territory's fictitious streets (tests/intake/samples.py)."""

from __future__ import annotations

import re

import pytest

from citemploi.accounts.models import Role
from citemploi.intake import kinds, tasks
from citemploi.intake.models import Category, Import, ImportRow, State
from citemploi.pathways.models import Person
from tests.browser.conftest import axe_violations, follow, login
from tests.factories.accounts import TEST_PASSWORD, StructureFactory, user_with_role
from tests.intake import samples
from tests.intake.conftest import table_counts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page, what: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{what} à {width} px"
    page.set_viewport_size({"width": 1366, "height": 900})


def _run_held(held: list[tuple[str, int]], page) -> None:
    """The page shows its progress bar and polls; run the held task as the worker would, then the page shows the
    outcome. (The page is left while the task runs: SQLite's test database is one connection shared with the
    live server's thread, which cannot serve the polls at the same time.)"""
    assert page.locator("#intake-progress").is_visible()
    page.wait_for_function("document.getElementById('intake-status').textContent.includes('ligne')")
    url = page.url
    page.goto("about:blank")
    kind, batch_id = held.pop(0)
    tasks.run(batch_id, State.PENDING if kind == "analyse" else State.CONFIRMED,
              kinds.analyse if kind == "analyse" else kinds.process)  # fmt: skip
    page.goto(url)
    assert page.locator("#intake-job").count() == 0


def test_mission_locale_cross_check_then_coordinator_undo(page, live_server, settings, tmp_path, monkeypatch):
    settings.GEOCODER = "ban_local"
    settings.DEMO_MODE = True
    samples.load_territory()
    ml = StructureFactory(mission_locale=True, name="Mission Locale fictive")
    user_with_role(Role.PARTNER_REFERENT, ml, email="ml@exemple.test")
    user_with_role(Role.COORDINATOR, email="coord@exemple.test", is_demo_account=True)
    held: list[tuple[str, int]] = []
    monkeypatch.setattr(kinds, "enqueue_analysis", lambda pk: held.append(("analyse", pk)))
    monkeypatch.setattr(kinds, "enqueue_processing", lambda pk: held.append(("process", pk)))
    headers, rows = samples.as_rows("Export I-Milo", samples.people(2000, seed=7))
    headers[headers.index("Prénom")] = "Prénom du jeune"  # not recognised: fixed by hand in the mapping form
    for line in (10, 500, 1500):
        rows[line][headers.index("Date de naissance")] = "31/02/2001"
    path = samples.write_xlsx(tmp_path / "export-i-milo.xlsx", headers, rows)
    before = table_counts()

    login(page, live_server, "ml@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/imports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Imports de fichiers"
    _accessible(page, "liste des imports")
    follow(page.get_by_role("link", name="Déposer un fichier"))
    _accessible(page, "dépôt")
    page.get_by_label("Source du fichier").select_option(label="Export I-Milo")
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Analyser le fichier").click()
    page.wait_for_url(re.compile(r"/imports/[0-9a-f-]+/$"))
    _accessible(page, "analyse en cours")
    _run_held(held, page)
    assert "Colonne obligatoire non associée : Prénom." in page.locator("#intake-error").inner_text()

    page.locator("#id_col_first_name").select_option(label="Prénom du jeune")
    follow(page.get_by_role("button", name="Enregistrer et analyser à nouveau"))
    _run_held(held, page)
    errors = page.locator("#intake-errors tbody tr")
    assert errors.count() == 3 and "Date de naissance" in errors.first.inner_text()
    assert page.locator("#intake-preview tbody tr").count() == 10
    _accessible(page, "aperçu")

    follow(page.get_by_role("button", name="Confirmer l'import"))
    _run_held(held, page)
    assert Person.objects.count() == 0  # nothing created before « Repérer ces personnes »
    batch = Import.objects.get()
    expected = ImportRow.objects.filter(batch=batch, category=Category.IN_QPV_NEW).count()
    assert expected > 500 and page.locator("#groupe-in_qpv_new").is_visible()
    assert page.locator("#groupe-out").is_visible() and page.locator("#groupe-check").is_visible()
    _accessible(page, "résultat")
    with page.expect_navigation(timeout=300_000):  # about a thousand records in one transaction
        page.get_by_role("button", name="Repérer ces personnes").click(no_wait_after=True)
    page.wait_for_selector("text=Personnes repérées")
    assert Person.objects.filter(reperages__channel="croisement", pathway__structure=ml).count() == expected
    _accessible(page, "import importé")

    page.get_by_role("button", name="Se déconnecter").click()
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/imports/{batch.public_id}/")
    with page.expect_navigation(timeout=300_000):
        page.get_by_role("button", name="Annuler cet import").click(no_wait_after=True)
    page.wait_for_selector("#intake-state:has-text('Annulé')")
    assert Import.objects.get().state == State.CANCELLED
    assert table_counts() == before
    _accessible(page, "import annulé")
    page.goto(f"{live_server.url}/personnes/doublons-a-verifier/")
    _accessible(page, "doublons à vérifier")
