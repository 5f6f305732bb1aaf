"""Completeness and coverage of the census (reads, fixed query counts): completeness per structure, stale entries,
the coverage matrix (themes × QPV), the map's features."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, StructureKind
from citemploi.partners import referentials as ref
from citemploi.partners.models import Action, OpeningSlot, Service, StructureProfile
from citemploi.partners.selectors import AVAILABLE_STATUSES, QPVArea, action_serves, service_serves
from citemploi.territory.models import QPV

#: State services are not part of the offer (they fund and steer it).
EXCLUDED_KINDS = (StructureKind.STATE_SERVICE,)


def _count(qs: QuerySet[Any], outer: str = "structure") -> Subquery:
    return Subquery(
        qs.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def _latest(qs: QuerySet[Any], outer: str) -> Subquery:
    return Subquery(
        qs.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(m=Max("updated_at")).values("m")
    )


def census_structures() -> QuerySet[Structure]:
    """Active structures of the offer with their profile, counts and last update dates (one query)."""
    return (
        Structure.objects.filter(is_active=True)
        .exclude(kind__in=EXCLUDED_KINDS)
        .select_related("profile")
        .annotate(
            n_services=_count(Service.objects.filter(is_published=True)),
            n_actions=_count(Action.objects.all(), "carrier"),
            n_slots=_count(OpeningSlot.objects.all(), "profile__structure"),
            last_service=_latest(Service.objects.all(), "structure"),
            last_action=_latest(Action.objects.all(), "carrier"),
        )
        .order_by("sort_name", "id")
    )


@dataclass
class Completeness:
    structure: Structure
    score: int
    missing: list[str]
    last_update: dt.datetime | None
    stale: bool
    profile: StructureProfile | None = field(default=None)


def _profile(structure: Structure) -> StructureProfile | None:
    try:
        return structure.profile
    except StructureProfile.DoesNotExist:
        return None


def completeness(structure: Structure, *, now: dt.datetime | None = None) -> Completeness:
    """Score (0–100) of one structure annotated by `census_structures`: what is missing, when last updated."""
    profile = _profile(structure)
    dates = [d for d in (getattr(profile, "updated_at", None), structure.last_service, structure.last_action) if d]  # type: ignore[attr-defined]
    last = max(dates) if dates else None
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.PARTNERS_STALE_DAYS)
    stale = last is None or last < cutoff
    checks = [
        (_("profil public"), profile is not None),
        (_("SIRET"), bool(structure.siret)),
        (_("adresse localisée"), bool(profile and profile.has_point)),
        (_("horaires d'ouverture"), bool(structure.n_slots)),  # type: ignore[attr-defined]
        (
            _("contact"),
            bool(profile and (profile.contact_email or profile.contact_phone))
            or bool(structure.email or structure.phone),
        ),
        (_("présentation"), bool(profile and profile.description)),
        (_("accessibilité (Acceslibre)"), bool(profile and profile.accessibility_url)),
        (_("réseau porteur"), bool(profile and profile.reseaux_porteurs)),
        (_("au moins un service publié"), bool(structure.n_services)),  # type: ignore[attr-defined]
        (_("mise à jour récente"), not stale),
    ]
    missing = [label for label, ok in checks if not ok]
    score = round(100 * (len(checks) - len(missing)) / len(checks))
    return Completeness(structure, score, missing, last, stale, profile)


def completeness_table(*, now: dt.datetime | None = None) -> list[Completeness]:
    """Completeness of every structure of the offer, lowest score first (one query)."""
    rows = [completeness(s, now=now) for s in census_structures()]
    return sorted(rows, key=lambda r: (r.score, r.structure.name))


def stale_structures(*, now: dt.datetime | None = None) -> list[Completeness]:
    """Structures whose entries were not updated within PARTNERS_STALE_DAYS."""
    return [row for row in completeness_table(now=now) if row.stale]


# --- Coverage matrix ------------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    qpv: QPV
    cells: list[tuple[str, int, str]]  # (category slug, count, click-through URL)
    total: int


def coverage_matrix(*, today: dt.date | None = None) -> tuple[list[tuple[str, str]], list[CoverageRow]]:
    """Rows = QPV of the territory, columns = thématique categories, cells = published services and available
    actions open to the QPV's residents (rules in selectors.service_serves / action_serves). Five queries."""
    today = today or timezone.localdate()
    qpvs = list(QPV.objects.filter(in_territory=True).prefetch_related("communes").order_by("name"))
    areas = [QPVArea.of(q) for q in qpvs]
    served: dict[int, set[str]] = {}
    for structure_id, code in StructureProfile.qpvs_served.through.objects.values_list(
        "structureprofile__structure_id", "qpv__code"
    ):
        served.setdefault(structure_id, set()).add(code)
    services = Service.objects.filter(is_published=True).values_list(
        "structure_id", "structure__insee_code", "insee_code", "zone_eligibilite", "thematiques"
    )
    actions = Action.objects.filter(is_published=True, status__in=AVAILABLE_STATUSES, ends_on__gte=today)
    action_qpvs: dict[int, set[str]] = {}
    for action_id, code in Action.qpvs_served.through.objects.filter(action__in=actions).values_list(
        "action_id", "qpv__code"
    ):
        action_qpvs.setdefault(action_id, set()).add(code)
    counts: dict[tuple[str, str], int] = {}
    for sid, s_insee, insee, zone, thematiques in services:
        cats = {ref.categorie_of(t) for t in zone_list(thematiques)}
        for area in areas:
            if service_serves(area, zone_list(zone), served.get(sid, set()), {s_insee, insee}):
                for cat in cats:
                    counts[(area.code, cat)] = counts.get((area.code, cat), 0) + 1
    for aid, qpv_code, insee, thematiques in actions.values_list("id", "qpv_code", "insee_code", "thematiques"):
        cats = {ref.categorie_of(t) for t in zone_list(thematiques)}
        for area in areas:
            if action_serves(area, action_qpvs.get(aid, set()), qpv_code, insee):
                for cat in cats:
                    counts[(area.code, cat)] = counts.get((area.code, cat), 0) + 1
    base = reverse("partners:directory")
    rows = []
    for qpv in qpvs:
        cells = [
            (c, counts.get((qpv.code, c), 0), f"{base}?qpv={qpv.code}&thematique={c}") for c, _ in ref.CATEGORIE_CHOICES
        ]
        rows.append(CoverageRow(qpv, cells, sum(n for _, n, _ in cells)))
    return ref.CATEGORIE_CHOICES, rows


def zone_list(value: Any) -> list[str]:
    """values_list() goes through from_db_value, so lists come back as lists; be tolerant of raw text."""
    from citemploi.partners.fields import decode

    return list(value) if isinstance(value, list) else decode(value)


# --- Map ------------------------------------------------------------------------------------------------------


def map_features(
    actions: QuerySet[Action], *, public: bool = False, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Points for the map: structures (relais flagged) and current or upcoming actions. Two queries."""
    today = today or timezone.localdate()
    profiles = StructureProfile.objects.filter(is_published=True, longitude__isnull=False, latitude__isnull=False)
    profiles = profiles.filter(structure__is_active=True).select_related("structure")
    if public:
        profiles = profiles.filter(structure__kind=StructureKind.RELAIS_EMPLOI)
    features = []
    for p in profiles:
        kind = "relais" if p.structure.kind == StructureKind.RELAIS_EMPLOI else "structure"
        url = (
            reverse("public:relais") + f"#relais-{p.structure.public_id}"
            if public
            else reverse("partners:structure", args=[p.structure.public_id])
        )
        features.append(
            {
                "type": kind,
                "name": p.structure.name,
                "address": p.full_address,
                "lat": p.latitude,
                "lon": p.longitude,
                "url": url,
            }
        )
    upcoming = actions.filter(ends_on__gte=today, longitude__isnull=False, latitude__isnull=False).exclude(
        status="cancelled"
    )
    for a in upcoming:
        url = reverse("public:action", args=[a.public_id]) if public else reverse("partners:action", args=[a.public_id])
        label = f"{a.title} ({a.starts_on:%d/%m/%Y})"
        features.append(
            {
                "type": "action",
                "name": label,
                "address": a.full_address,
                "lat": a.latitude,
                "lon": a.longitude,
                "url": url,
            }
        )
    return features
