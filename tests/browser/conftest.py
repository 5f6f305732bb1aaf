"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against Django's live server.

When Chromium or axe-core is missing the browser tests are skipped with a visible warning — except under
CI=true, where they must run."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing() -> str:
    if not CHROMIUM.exists():
        return f"Chromium absent ({CHROMIUM})"
    if not AXE.exists():
        return f"axe-core absent ({AXE}) : lancez `npm ci`"
    return ""


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Tests navigateur obligatoires en CI : {reason}")
        warnings.warn(f"Tests navigateur ignorés : {reason}", pytest.PytestWarning, stacklevel=1)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _catalogue(scheme_catalogue):
    """Browser tests are transactional: the catalogue the data migrations seeded is seeded again (tests/conftest.py)."""


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the pages themselves still run under the real CSP headers.
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations reported by axe-core on the current page."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def follow(control) -> None:
    """Click a link or a submit button and wait for the page it opens: the checks that follow run on that page,
    never on the one it replaces (axe-core fails with « reading 'documentElement' » when the document changes)."""
    with control.page.expect_navigation():
        control.click()


def login(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    follow(page.get_by_role("button", name="Se connecter"))
