"""The breakdowns every indicator supports (issue 13 §2): QPV of residence at entry, relais/structure of the
referent, sex, age band at entry, public at entry, repérage channel.

Each breakdown reads the person of the counted row through ``p`` (``""`` when the row is the person, ``"person__"``
for a hand-off, an exit or a frein). A *partition* gives one key per row; « public » is not a partition (a person
can be RSA and DELD): it gives one condition per public, and the groups may overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from citemploi.evaluation.sql import first_channel, first_spotted, month_distance
from citemploi.pathways.choices import LOW_EDUCATION_LEVELS, RSA, Channel, FTCategory, QPVStatus, Sex

UNKNOWN = "inconnu"


def person_ref(p: str) -> str:
    return f"{p}id" if p else "pk"


def reference_day(p: str) -> Coalesce:
    """The day the profile is read at: the entry date, else the first repérage (a person not entered yet)."""
    return Coalesce(F(f"{p}qpv_entry_on"), first_spotted(p))


def age_at(p: str) -> Any:
    day, birth = reference_day(p), F(f"{p}birth_date")
    before_birthday: Any = LessThan(
        ExtractMonth(day) * 100 + ExtractDay(day), ExtractMonth(birth) * 100 + ExtractDay(birth)
    )
    return (
        ExtractYear(day)
        - ExtractYear(birth)
        - Case(When(before_birthday, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _age_band(p: str) -> Case:
    age = age_at(p)
    return Case(
        When(Q(**{f"{p}birth_date__isnull": True}), then=Value(UNKNOWN)),
        When(LessThan(age, 26), then=Value("moins_26")),
        When(LessThan(age, 50), then=Value("26_49")),
        When(GreaterThanOrEqual(age, 50), then=Value("50_plus")),
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def _qpv(p: str) -> Coalesce:
    return Coalesce(F(f"{p}qpv_entry__code"), F(f"{p}qpv_entry_status"), output_field=CharField())


def _registered_for(p: str, months: int) -> tuple[dict[str, Any], Q]:
    """Registered with France Travail in category A, B or C for ``months`` or more at the reference day (the
    registration date of the record: DELD = 12 months, DETLD = 24 months)."""
    name = f"reg{months}"
    notes = {
        f"{name}_m": month_distance(reference_day(p), F(f"{p}ft_registered_since")),
        f"{name}_d2": ExtractDay(reference_day(p)),
        f"{name}_d1": ExtractDay(F(f"{p}ft_registered_since")),
    }
    long_enough = Q(**{f"{name}_m__gt": months}) | Q(**{f"{name}_m": months, f"{name}_d2__gte": F(f"{name}_d1")})
    registered = Q(**{f"{p}ft_registered": True, f"{p}ft_category__in": [FTCategory.A, FTCategory.B, FTCategory.C]})
    return notes, registered & long_enough


def _publics(p: str) -> dict[str, tuple[dict[str, Any], Q]]:
    return {
        "rsa": ({}, Q(**{f"{p}rsa__in": [RSA.MAJORE, RSA.NON_MAJORE]})),
        "deld": _registered_for(p, 12),
        "detld": _registered_for(p, 24),
        "rqth": ({}, Q(**{f"{p}rqth": True})),
        "cap_bep_ou_moins": ({}, Q(**{f"{p}education_level__in": sorted(LOW_EDUCATION_LEVELS)})),
    }


@dataclass(frozen=True)
class Breakdown:
    id: str
    label: Promise
    #: a partition: the key expression of the row's group
    key: Callable[[str], Any] | None = None
    #: overlapping groups: one (annotations, condition) per group
    groups: Callable[[str], dict[str, tuple[dict[str, Any], Q]]] | None = None
    #: group labels known in advance (others — structures, QPV — are labelled by the caller)
    labels: dict[str, Promise] = field(default_factory=dict)
    #: groups only the coordinator sees (RQTH is a sensitive fact, DESIGN.md §4)
    coordinator_only: frozenset[str] = frozenset()


_QPV_LABELS: dict[str, Promise] = {s.value: s.label for s in QPVStatus}

BREAKDOWNS: dict[str, Breakdown] = {
    b.id: b
    for b in (
        Breakdown("qpv", _("QPV de résidence à l'entrée"), key=_qpv, labels=_QPV_LABELS),
        Breakdown(
            "structure",
            _("Relais ou structure du référent"),
            key=lambda p: F(f"{p}pathway__structure__name"),
        ),
        Breakdown(
            "sex",
            _("Sexe"),
            key=lambda p: F(f"{p}sex"),
            labels={Sex.FEMALE.value: Sex.FEMALE.label, Sex.MALE.value: Sex.MALE.label, "": _("Non renseigné")},
        ),
        Breakdown(
            "age",
            _("Tranche d'âge à l'entrée"),
            key=_age_band,
            labels={
                "moins_26": _("Moins de 26 ans"),
                "26_49": _("26 à 49 ans"),
                "50_plus": _("50 ans et plus"),
                UNKNOWN: _("Non renseigné"),
            },
        ),
        Breakdown(
            "public",
            _("Public à l'entrée"),
            groups=_publics,
            labels={
                "rsa": _("Allocataires du RSA"),
                "deld": _("Demandeurs d'emploi de longue durée (DELD)"),
                "detld": _("Demandeurs d'emploi de très longue durée (DETLD)"),
                "rqth": _("RQTH"),
                "cap_bep_ou_moins": _("Niveau CAP/BEP ou infra"),
            },
            coordinator_only=frozenset({"rqth"}),
        ),
        Breakdown(
            "channel",
            _("Canal de repérage"),
            key=lambda p: first_channel(p),
            labels={c.value: c.label for c in Channel},
        ),
    )
}
