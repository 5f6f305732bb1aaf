"""Presentation (issue 10 item 10): no developer command line on a user's screen, a favicon allowed by the CSP."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import get_commands
from django.urls import reverse

import citemploi

TEMPLATES = Path(citemploi.__file__).parent / "www" / "templates"


def test_no_template_shows_a_command_line():
    names = "|".join(re.escape(name) for name in get_commands())
    command = re.compile(rf"\bcitemploi (?:{names})\b|manage\.py|\.venv/bin|<code>\s*citemploi")
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in command.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_page_links_the_svg_favicon_served_from_self(db, client, settings):
    page = client.get(reverse("public:about"))
    html = page.content.decode()
    match = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert match, "base.html links the favicon"
    assert match.group(1).startswith(settings.STATIC_URL)  # same origin: the CSP's img-src 'self' allows it
    svg = finders.find("citemploi/favicon.svg")
    assert svg and Path(svg).read_text(encoding="utf-8").startswith("<svg")
    assert "'self'" in page.headers.get("Content-Security-Policy", "img-src 'self'")


def test_person_page_reads_the_age_and_neutral_wording(world, clients):
    import datetime as dt

    from tests.factories.pathways import make_person

    person = make_person(by=world.users["referent"], birth_date=dt.date(1985, 3, 15), ft_registered=False)
    html = clients["referent"].get(reverse("pathways:person", args=[person.public_id])).content.decode()
    assert f"15/03/1985 ({person.age}\u00a0ans)" in html
    assert "pas d&#x27;inscription" in html or "pas d'inscription" in html
    assert "non inscrit" not in html and "né(e)" not in html
