"""Reads of the census, scoped to the viewer, with a fixed number of queries (DESIGN.md §3.2, §3.10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from citemploi.accounts.permissions import is_coordinator
from citemploi.core.validators import search_text
from citemploi.partners.fields import token
from citemploi.partners.models import Action, ActionSession, ActionStatus, Service
from citemploi.partners.permissions import can_view_census, casework_structure_ids
from citemploi.territory.models import QPV

AVAILABLE_STATUSES = (ActionStatus.PLANNED, ActionStatus.RUNNING)


# --- Scoping --------------------------------------------------------------------------------------------------


def _offer_scope(user: Any, owner_field: str) -> Q | None:
    """None: everything; a Q otherwise (published entries, plus the drafts of the user's own structures)."""
    if is_coordinator(user):
        return None
    if not can_view_census(user):
        return Q(pk__in=[])
    return Q(is_published=True) | Q(**{f"{owner_field}__in": casework_structure_ids(user)})


def services_visible_to(user: Any) -> QuerySet[Service]:
    """Services the user may read."""
    scope = _offer_scope(user, "structure_id")
    qs = Service.objects.all()
    return qs if scope is None else qs.filter(scope)


def actions_visible_to(user: Any) -> QuerySet[Action]:
    """Actions the user may read."""
    scope = _offer_scope(user, "carrier_id")
    qs = Action.objects.all()
    return qs if scope is None else qs.filter(scope)


def services_editable_by(user: Any) -> QuerySet[Service]:
    """Services the user may edit: all for the coordinator, their own structures' for caseworkers."""
    if is_coordinator(user):
        return Service.objects.all()
    return Service.objects.filter(structure_id__in=casework_structure_ids(user))


def actions_editable_by(user: Any) -> QuerySet[Action]:
    """Actions the user may edit: all for the coordinator, those their structures carry for caseworkers."""
    if is_coordinator(user):
        return Action.objects.all()
    return Action.objects.filter(carrier_id__in=casework_structure_ids(user))


def public_actions() -> QuerySet[Action]:
    """Actions shown on the public agenda: published, marked public, not cancelled."""
    return Action.objects.filter(is_published=True, is_public=True).exclude(status=ActionStatus.CANCELLED)


# --- Who serves which QPV (the coverage matrix and the directory's QPV filter share these rules) -------------


@dataclass(frozen=True)
class QPVArea:
    """What identifies a QPV's residents in zone codes: its communes, their EPCI and department."""

    code: str
    communes: frozenset[str]
    zone_codes: frozenset[str]

    @classmethod
    def of(cls, qpv: QPV) -> QPVArea:
        communes = list(qpv.communes.all())
        codes = {c.insee_code for c in communes} | {c.epci_siren for c in communes if c.epci_siren}
        codes |= {c.department for c in communes} | {"france", "99100"}
        return cls(qpv.code, frozenset(c.insee_code for c in communes), frozenset(codes))


def service_serves(area: QPVArea, zone: list[str], served_qpvs: set[str], insee_codes: set[str]) -> bool:
    """A service is open to a QPV's residents when its eligibility zone covers one of the QPV's communes (by
    commune, EPCI, department or France); with no zone, when its structure declares serving the QPV or sits in
    one of its communes."""
    if zone:
        return bool(area.zone_codes.intersection(zone))
    return area.code in served_qpvs or bool(area.communes & insee_codes)


def service_serves_q(area: QPVArea) -> Q:
    """The same rule as `service_serves`, as a database filter."""
    zone = Q()
    for code in area.zone_codes:
        zone |= Q(zone_eligibilite__contains=token(code))
    fallback = Q(zone_eligibilite="") & (
        Q(structure__profile__qpvs_served__code=area.code)
        | Q(structure__insee_code__in=area.communes)
        | Q(insee_code__in=area.communes)
    )
    return zone | fallback


def action_serves(area: QPVArea, served_qpvs: set[str], qpv_code: str, insee_code: str) -> bool:
    """An action is open to a QPV's residents when it targets the QPV, takes place in it or in one of its
    communes."""
    return area.code in served_qpvs or qpv_code == area.code or insee_code in area.communes


def action_serves_q(area: QPVArea) -> Q:
    return Q(qpvs_served__code=area.code) | Q(qpv_code=area.code) | Q(insee_code__in=area.communes)


def thematique_q(value: str) -> Q:
    """A thématique (`mobilite--preparer-un-permis`) or a whole category (`mobilite`)."""
    pattern = token(value) if "--" in value else f"|{value}--"
    return Q(thematiques__contains=pattern)


# --- Directory search -----------------------------------------------------------------------------------------


@dataclass
class DirectoryFilters:
    text: str = ""
    thematique: str = ""
    public: str = ""
    commune: str = ""
    qpv: QPV | None = None
    open_now: bool = False


def _open_now_q(prefix: str, at: dt.datetime) -> Q:
    local = timezone.localtime(at)
    return Q(
        **{
            f"{prefix}slots__weekday": local.weekday(),
            f"{prefix}slots__opens__lte": local.time(),
            f"{prefix}slots__closes__gt": local.time(),
        }
    )


def directory_services(user: Any, filters: DirectoryFilters, *, at: dt.datetime | None = None) -> QuerySet[Service]:
    """Services matching the directory filters, with their structure and profile (no query per row)."""
    qs = services_visible_to(user)
    if text := search_text(filters.text):
        qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text) | Q(structure__name__icontains=text))
    if filters.thematique:
        qs = qs.filter(thematique_q(filters.thematique))
    if filters.public:
        qs = qs.filter(Q(publics__contains=token(filters.public)) | Q(publics__contains=token("tous-publics")))
    if filters.commune:
        qs = qs.filter(
            Q(zone_eligibilite__contains=token(filters.commune))
            | Q(insee_code=filters.commune)
            | Q(structure__insee_code=filters.commune)
        )
    if filters.qpv is not None:
        qs = qs.filter(pk__in=Service.objects.filter(service_serves_q(QPVArea.of(filters.qpv))).values("pk"))
    if filters.open_now:
        open_q = _open_now_q("structure__profile__", at or timezone.now())
        qs = qs.filter(pk__in=Service.objects.filter(open_q).values("pk"))
    return qs.select_related("structure", "structure__profile").order_by("structure__sort_name", "name", "id")


def directory_actions(user: Any, filters: DirectoryFilters, *, today: dt.date | None = None) -> QuerySet[Action]:
    """Current and upcoming actions matching the same filters (open now does not apply to actions)."""
    today = today or timezone.localdate()
    qs = actions_visible_to(user).filter(ends_on__gte=today, status__in=AVAILABLE_STATUSES)
    if text := search_text(filters.text):
        qs = qs.filter(Q(title__icontains=text) | Q(description__icontains=text))
    if filters.thematique:
        qs = qs.filter(thematique_q(filters.thematique))
    if filters.public:
        qs = qs.filter(Q(publics__contains=token(filters.public)) | Q(publics__contains=token("tous-publics")))
    if filters.commune:
        qs = qs.filter(insee_code=filters.commune)
    if filters.qpv is not None:
        qs = qs.filter(pk__in=Action.objects.filter(action_serves_q(QPVArea.of(filters.qpv))).values("pk"))
    return qs.select_related("carrier").order_by("starts_on", "title", "id")


# --- Calendar and agenda ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    day: dt.date
    action: Action
    session: ActionSession | None


def agenda(actions: QuerySet[Action], start: dt.date, end: dt.date) -> list[AgendaItem]:
    """Sessions between start and end (inclusive), plus actions without sessions that start in the span.

    Two queries whatever the number of actions.
    """
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    sessions = ActionSession.objects.filter(action__in=actions, starts_at__gte=lower, starts_at__lt=upper)
    items = [
        AgendaItem(timezone.localtime(s.starts_at).date(), s.action, s)
        for s in sessions.select_related("action", "action__carrier")
    ]
    no_session = actions.filter(starts_on__gte=start, starts_on__lte=end).exclude(
        Exists(ActionSession.objects.filter(action=OuterRef("pk")))
    )
    items += [AgendaItem(a.starts_on, a, None) for a in no_session.select_related("carrier")]
    return sorted(
        items,
        key=lambda i: (i.day, i.session.starts_at if i.session else dt.datetime.min.replace(tzinfo=tz), i.action.title),
    )
