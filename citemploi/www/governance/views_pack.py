"""The COPIL pack of a meeting: the page and the PDF, from the same content (governance/pack.py). For those who
see the meeting; a non-coordinator always gets the steering (masked) pack, the coordinator may preview it with
``?public=pilotage``. Produced inline (docs/performance.md, « Dossier du COPIL »)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from citemploi.accounts.permissions import is_coordinator
from citemploi.governance.pack import STEERING, PackContent, audience_for
from citemploi.governance.pack_render import meeting_pack, pdf_bytes, pdf_filename
from citemploi.www.governance.views import _meeting, actor


def _content(request: HttpRequest, public_id: uuid.UUID) -> PackContent:
    meeting = _meeting(request, public_id)
    asked = STEERING if request.GET.get("public") == "pilotage" else None
    audience = audience_for(request.user, asked)
    return meeting_pack(by=actor(request), meeting=meeting, audience=audience)


def pack(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    content = _content(request, public_id)
    return render(
        request, "governance/pack.html", {"c": content, "pdf": False, "is_coordinator": is_coordinator(request.user)}
    )


def pack_pdf(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    content = _content(request, public_id)
    response = HttpResponse(pdf_bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, pdf_filename(content)) or "inline"
    response["Cache-Control"] = "private, no-store"
    return response
