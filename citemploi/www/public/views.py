"""Public pages (no login): the Cité de l'emploi, the relais emploi, the agenda and its iCal feed, action pages
(the newsletter and the agenda widget: promotion.py).

Server-rendered and indexable; only published entries marked public are shown, never registrations.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from citemploi.accounts.models import Structure, StructureKind
from citemploi.governance.ical import meeting_event
from citemploi.governance.promotion import public_meetings, public_reach
from citemploi.partners import referentials as ref
from citemploi.partners.coverage import map_features
from citemploi.partners.hours import describe
from citemploi.partners.ical import Event, calendar
from citemploi.partners.models import ActionSession, OpeningSlot
from citemploi.partners.selectors import agenda as agenda_items
from citemploi.partners.selectors import public_actions

AGENDA_DAYS = 365


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    upcoming = agenda_items(public_actions(), timezone.localdate(), timezone.localdate() + dt.timedelta(days=60))[:5]
    return render(request, "public/about.html", {"upcoming": upcoming, "reach": public_reach()})


def _relais() -> list[tuple[Structure, list[tuple[str, str]]]]:
    slots = Prefetch("profile__slots", queryset=OpeningSlot.objects.order_by("weekday", "opens"))
    qs = Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI, is_active=True, profile__is_published=True)
    qs = qs.select_related("profile").prefetch_related(slots).order_by("sort_name", "id")
    return [(s, describe([(x.weekday, x.opens, x.closes) for x in s.profile.slots.all()])) for s in qs]


@login_not_required
def relais(request: HttpRequest) -> HttpResponse:
    return render(request, "public/relais.html", {"relais": _relais(), "tile_url": settings.MAP_TILE_URL})


@login_not_required
def relais_map_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"features": map_features(public_actions(), public=True)})


@login_not_required
def agenda(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = agenda_items(public_actions(), today, today + dt.timedelta(days=AGENDA_DAYS))
    meetings = public_meetings(today, today + dt.timedelta(days=AGENDA_DAYS))
    return render(request, "public/agenda.html", {"items": items, "meetings": meetings})


@login_not_required
@cache_control(max_age=900, public=True)
def agenda_ics(request: HttpRequest) -> HttpResponse:
    """The public agenda as an iCalendar feed: one event per session, or per action when it has none."""
    today = timezone.localdate()
    items = agenda_items(public_actions(), today - dt.timedelta(days=30), today + dt.timedelta(days=AGENDA_DAYS))
    host = request.get_host().split(":")[0]
    events = []
    for item in items:
        action, session = item.action, item.session
        url = request.build_absolute_uri(reverse("public:action", args=[action.public_id]))
        start: dt.datetime | dt.date = session.starts_at if session else action.starts_on
        end: dt.datetime | dt.date = session.ends_at if session else action.ends_on + dt.timedelta(days=1)
        uid = f"{session.public_id if session else action.public_id}@{host}"
        location = ", ".join(p for p in [action.place_name, action.full_address] if p)
        events.append(Event(uid, action.title, start, end, action.description, location, url))
    events += [
        meeting_event(m) for m in public_meetings(today - dt.timedelta(days=30), today + dt.timedelta(days=AGENDA_DAYS))
    ]
    body = calendar(events, name=_("%(brand)s — agenda") % {"brand": settings.BRAND["name"]}, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@login_not_required
def action(request: HttpRequest, public_id: str) -> HttpResponse:
    obj = get_object_or_404(
        public_actions().select_related("carrier").prefetch_related("partners"), public_id=public_id
    )
    sessions = ActionSession.objects.filter(action=obj).order_by("starts_at")
    context = {
        "action": obj,
        "sessions": sessions,
        "thematiques": ref.labels(obj.thematiques, ref.THEMATIQUE_LABELS),
        "publics": ref.labels(obj.publics, ref.PUBLIC_LABELS),
    }
    return render(request, "public/action.html", context)
