"""Promotion in Chromium (issue 15 §7): the newsletter and the widget pass axe-core at desktop and phone widths,
and a partner's page on another origin frames the widget only when that origin is allowed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from citemploi.schemes.models import VeilleEntry, VeilleStatus
from tests.browser.conftest import axe_violations
from tests.factories.accounts import StructureFactory
from tests.factories.partners import ActionFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDGET = "/cite/agenda/widget/"


def _content() -> None:
    today = timezone.localdate()
    carrier = StructureFactory(relais=True, name="Relais emploi Beaubrun")
    action = ActionFactory(carrier=carrier, title="Job dating de la logistique", starts_on=today)
    SessionFactory(action=action)
    ActionFactory(carrier=carrier, title="Atelier CV", starts_on=today + dt.timedelta(days=3))
    VeilleEntry.objects.create(
        date=today,
        title="Contrat d'engagement jeune : ce qui change",
        summary="Un résumé de la note.",
        source_url="https://www.example.org/cej",
        status=VeilleStatus.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=31),
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_newsletter_and_widget_pass_axe(page, live_server, width):
    _content()
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/cite/lettre/", WIDGET):
        page.goto(f"{live_server.url}{path}")
        assert page.get_by_text("Job dating de la logistique").first.is_visible()
        assert axe_violations(page) == [], path


class _Partner(BaseHTTPRequestHandler):
    """A partner's web page on another origin, framing the widget."""

    body = b""

    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return


@pytest.fixture
def partner_site(live_server) -> Iterator[str]:
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Site partenaire</title></head><body>'
        f'<h1>Site partenaire</h1><iframe title="Agenda" src="{live_server.url}{WIDGET}" width="360" height="480">'
        "</iframe></body></html>"
    )
    handler = type("Partner", (_Partner,), {"body": html.encode()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _frame_the_widget(browser, origin: str) -> tuple[str, list[str]]:
    """Open the partner's page with the CSP enforced; the widget frame's text and the console messages."""
    context = browser.new_context(locale="fr-FR")  # no bypass_csp: frame-ancestors must be enforced
    try:
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(origin)
        page.wait_for_load_state("load")
        frame = next(f for f in page.frames if f is not page.main_frame)
        page.wait_for_timeout(300)
        text = frame.evaluate("() => document.body ? document.body.innerText : ''")
        return text, messages
    finally:
        context.close()


def test_only_allowed_origins_frame_the_widget(browser, live_server, partner_site, settings):
    _content()
    settings.WIDGET_FRAME_ANCESTORS = [partner_site]
    text, _messages = _frame_the_widget(browser, partner_site)
    assert "Job dating de la logistique" in text

    settings.WIDGET_FRAME_ANCESTORS = ["https://autre-partenaire.example.org"]
    text, messages = _frame_the_widget(browser, partner_site)
    assert "Job dating de la logistique" not in text
    assert any("frame-ancestors" in m for m in messages), messages
