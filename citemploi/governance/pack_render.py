"""The COPIL pack as a page and as a PDF from the same partials (templates/governance/_pack_body.html).

The PDF is drawn by WeasyPrint as PDF/UA-1 (tagged: headings, tables, lists, figures with their alt text; the
language from ``<html lang="fr">``); pack.css and evaluation.css are its only stylesheets. Measured in
docs/performance.md (« Dossier du COPIL »): fast enough to be produced inline, no background task.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import PermissionDenied
from citemploi.evaluation.periods import Period
from citemploi.governance.models import Meeting
from citemploi.governance.pack import COORDINATOR, PackContent, meeting_period, pack_build, pack_content

# WeasyPrint logs each layout step at INFO: the command's and the server's logs keep only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEETS = ("citemploi/pack.css", "citemploi/evaluation.css")


def meeting_pack(*, by: User | None, meeting: Meeting, audience: str) -> PackContent:
    """The pack of a meeting; ``by`` None is the operator's command (any audience)."""
    if by is not None and audience == COORDINATOR and not is_coordinator(by):
        raise PermissionDenied(_("Seule la coordination lit le dossier sans masquage."))
    pack = pack_build(by=by, period=meeting_period(meeting), meeting=meeting)
    return pack_content(pack, audience=audience)


def period_pack(*, by: User | None, period: Period, audience: str) -> PackContent:
    pack = pack_build(by=by, period=period)
    return pack_content(pack, audience=audience)


def _stylesheets() -> list[Any]:
    from weasyprint import CSS

    found = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if path:
            found.append(CSS(filename=str(path)))
    return found


def pdf_bytes(content: PackContent) -> bytes:
    """The PDF of the pack: the standalone template around the same body as the page."""
    from weasyprint import HTML

    html = render_to_string("governance/pack_pdf.html", {"c": content, "pdf": True, "brand": settings.BRAND})
    base = Path(__file__).resolve().parent
    data = HTML(string=html, base_url=str(base)).write_pdf(
        stylesheets=_stylesheets(), pdf_variant="pdf/ua-1", pdf_tags=True
    )
    assert data is not None
    return bytes(data)


def pdf_filename(content: PackContent) -> str:
    name = content.meeting.title if content.meeting else content.period.label()
    suffix = "-masque" if content.masked else ""
    return f"dossier-copil-{slugify(name)}-{content.period.end:%Y%m%d}{suffix}.pdf"
