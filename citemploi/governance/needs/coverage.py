"""How the census answers a need (issue 15 item 3), computed at read time so that an action added to the census
changes the status at once — partners knows nothing of governance (no hidden dependency).

For a need (thématique × public × QPV), an offer of the census *answers* when it is published and available (a
service, or an action under way or planned that has not ended), lists the thématique (or one of the category's
thématiques when the need names a whole category) and is open to the need's public (no public listed, « tous
publics », the need's situation, or the age band's public: jeunes, séniors). Then:

- « couvert »: an answering offer is open to the QPV's residents (the coverage matrix's rule,
  ``partners.selectors.service_serves`` / ``action_serves``) and is not full;
- « partiellement »: the only answering offers open to the QPV are full actions (registrations ≥ places), or none
  is open to the QPV but some exist elsewhere on the territory (far from the QPV's residents);
- « non couvert »: no answering offer anywhere in the census;
- « inconnu »: the QPV is not one of the territory's, or the census has no published offer at all (unknown is never
  « non »).

A need without QPV (the whole territory) is covered by any answering offer that is not full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from citemploi.governance.needs.models import Need
from citemploi.governance.needs.states import Coverage
from citemploi.partners import referentials as ref
from citemploi.partners.coverage import zone_list
from citemploi.partners.models import Action, Service, StructureProfile
from citemploi.partners.selectors import AVAILABLE_STATUSES, QPVArea, action_serves, service_serves
from citemploi.pathways.choices import AgeBand
from citemploi.territory.models import QPV

_AGE_PUBLICS: dict[str, str] = {AgeBand.UNDER_26: "jeunes", AgeBand.FROM_50: "seniors"}


@dataclass(frozen=True)
class Offer:
    thematiques: frozenset[str]
    publics: frozenset[str]
    full: bool
    #: QPV codes whose residents it is open to
    qpvs: frozenset[str]


@dataclass(frozen=True)
class Census:
    """The offer as the coverage needs it, read once (six queries whatever the number of needs)."""

    offers: list[Offer]
    qpv_codes: frozenset[str]

    def coverage(self, need: Need) -> str:
        if not self.offers or (need.qpv_code and need.qpv_code not in self.qpv_codes):
            return Coverage.UNKNOWN
        answering = [o for o in self.offers if _answers(o, need)]
        if not answering:
            return Coverage.NONE
        near = [o for o in answering if not need.qpv_code or need.qpv_code in o.qpvs]
        if any(not o.full for o in near):
            return Coverage.COVERED
        return Coverage.PARTIAL


def _answers(offer: Offer, need: Need) -> bool:
    if "--" in need.thematique:
        theme = need.thematique in offer.thematiques
    else:
        theme = any(ref.categorie_of(t) == need.thematique for t in offer.thematiques)
    if not theme:
        return False
    publics = {"tous-publics", need.situation, _AGE_PUBLICS.get(need.age_band, "")}
    return not offer.publics or need.situation == "tous-publics" or bool(offer.publics & publics)


def read_census(*, today: dt.date | None = None) -> Census:
    """Published services and available actions with the QPV they serve (the coverage matrix's rules)."""
    today = today or timezone.localdate()
    qpvs = list(QPV.objects.filter(in_territory=True).prefetch_related("communes"))
    areas = [QPVArea.of(q) for q in qpvs]
    served: dict[int, set[str]] = {}
    for structure_id, code in StructureProfile.qpvs_served.through.objects.values_list(
        "structureprofile__structure_id", "qpv__code"
    ):
        served.setdefault(structure_id, set()).add(code)
    offers = []
    for sid, s_insee, insee, zone, thematiques, publics in Service.objects.filter(is_published=True).values_list(
        "structure_id", "structure__insee_code", "insee_code", "zone_eligibilite", "thematiques", "publics"
    ):
        codes = {a.code for a in areas if service_serves(a, zone_list(zone), served.get(sid, set()), {s_insee, insee})}
        offers.append(Offer(frozenset(zone_list(thematiques)), frozenset(zone_list(publics)), False, frozenset(codes)))
    actions = Action.objects.filter(is_published=True, status__in=AVAILABLE_STATUSES, ends_on__gte=today)
    action_qpvs: dict[int, set[str]] = {}
    for action_id, code in Action.qpvs_served.through.objects.filter(action__in=actions).values_list(
        "action_id", "qpv__code"
    ):
        action_qpvs.setdefault(action_id, set()).add(code)
    rows = actions.annotate(n=Count("registrations", filter=Q(registrations__isnull=False))).values_list(
        "id", "qpv_code", "insee_code", "thematiques", "publics", "capacity", "n"
    )
    for aid, qpv_code, insee, thematiques, publics, capacity, n in rows:
        codes = {a.code for a in areas if action_serves(a, action_qpvs.get(aid, set()), qpv_code, insee)}
        full = capacity is not None and n >= capacity
        offers.append(Offer(frozenset(zone_list(thematiques)), frozenset(zone_list(publics)), full, frozenset(codes)))
    return Census(offers, frozenset(q.code for q in qpvs))


def coverage_of(needs: Iterable[Need], *, census: Census | None = None) -> dict[int, str]:
    """The coverage status of each need (by primary key), against the census read once."""
    census = census or read_census()
    return {need.pk: census.coverage(need) for need in needs}


def matrix_cell_url(need: Need) -> str:
    """The coverage matrix's click-through for the need's cell: the directory filtered by QPV and thématique."""
    query = f"?thematique={need.thematique}" + (f"&qpv={need.qpv_code}" if need.qpv_code else "")
    return reverse("partners:directory") + query
