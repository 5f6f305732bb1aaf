"""What the register of uncovered needs reads from pathways (issue 15 item 3), as aggregates only — never a person.

Two sources: the « aucune solution » orientations (``UnmetOrientation``) and the freins marked « non levable »,
grouped by thématique × age band × situation × QPV × month in SQL (no loop over people). Governance calls
``unmet_aggregates``; pathways never imports governance. ``unmet_recorded`` is sent after a signal is recorded so
that governance may refresh its register (it only enqueues its idempotent synchronisation).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.dispatch import Signal

from citemploi.pathways.choices import RSA, AgeBand, FreinTheme
from citemploi.pathways.models import Frein, Person, UnmetOrientation
from citemploi.pathways.states import FreinState

#: Sent (after commit) when an « aucune solution » is recorded or a frein becomes « non levable ».
unmet_recorded = Signal()

#: Frein themes → the data·inclusion thématique (or category) that would lift them. Justice is a sensitive fact
#: (DESIGN.md §4): it never reaches the register.
FREIN_THEMATIQUES: dict[str, str] = {
    FreinTheme.HOUSING: "logement-hebergement",
    FreinTheme.SHELTER: "logement-hebergement",
    FreinTheme.EMPLOYMENT: "trouver-un-emploi",
    FreinTheme.TRAINING: "se-former",
    FreinTheme.ADMIN: "difficultes-administratives-ou-juridiques",
    FreinTheme.MONEY: "difficultes-financieres",
    FreinTheme.MOBILITY: "mobilite",
    FreinTheme.HEALTH: "sante",
    FreinTheme.FAMILY: "famille",
    FreinTheme.FRENCH: "lecture-ecriture-calcul--maitriser-le-francais",
    FreinTheme.DIGITAL: "numerique",
    FreinTheme.CONFIDENCE: "remobilisation--bien-etre-confiance-en-soi",
    FreinTheme.RIGHTS: "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
}


def age_band_of(birth_year: int | None, on: date) -> str:
    """The age band in the year of ``on`` (by birth year: it survives anonymisation); unknown → « tous âges »."""
    if birth_year is None:
        return AgeBand.ALL
    age = on.year - birth_year
    return AgeBand.UNDER_26 if age < 26 else AgeBand.FROM_26_TO_49 if age < 50 else AgeBand.FROM_50


def situation_of(person: Person) -> str:
    """The data·inclusion public of the person: RSA, else registered with France Travail, else all publics.
    Health and disability facts never decide it (sensitive)."""
    if person.rsa in (RSA.MAJORE, RSA.NON_MAJORE):
        return "beneficiaires-des-minimas-sociaux"
    if person.ft_registered:
        return "demandeurs-emploi"
    return "tous-publics"


def _age_band_sql(day: str, birth_year: str) -> tuple[Case, Any]:
    """The band (reading the ``_age`` annotation) and the age expression to annotate as ``_age``."""
    age = ExtractYear(F(day)) - F(birth_year)
    return Case(
        When(Q(**{f"{birth_year}__isnull": True}), then=Value(AgeBand.ALL.value)),
        When(Q(_age__lt=26), then=Value(AgeBand.UNDER_26.value)),
        When(Q(_age__lt=50), then=Value(AgeBand.FROM_26_TO_49.value)),
        default=Value(AgeBand.FROM_50.value),
        output_field=CharField(),
    ), age


def _situation_sql(p: str) -> Case:
    return Case(
        When(Q(**{f"{p}rsa__in": [RSA.MAJORE, RSA.NON_MAJORE]}), then=Value("beneficiaires-des-minimas-sociaux")),
        When(Q(**{f"{p}ft_registered": True}), then=Value("demandeurs-emploi")),
        default=Value("tous-publics"),
        output_field=CharField(),
    )


def _theme_sql() -> Case:
    whens = [When(theme=theme, then=Value(thematique)) for theme, thematique in FREIN_THEMATIQUES.items()]
    return Case(*whens, default=Value(""), output_field=CharField())


@dataclass(frozen=True)
class UnmetCount:
    """One cell of the aggregate: ``source`` is ``orientation`` or ``frein``."""

    source: str
    thematique: str
    age_band: str
    situation: str
    qpv_code: str
    month: date
    count: int


KEYS = ("thematique", "age_band", "situation", "qpv_code", "month")


def _no_solution_counts() -> Iterator[UnmetCount]:
    rows = (
        UnmetOrientation.objects.annotate(month=TruncMonth("on")).values(*KEYS).annotate(n=Count("pk")).order_by(*KEYS)
    )
    for row in rows:
        yield UnmetCount("orientation", **{k: row[k] for k in KEYS}, count=row["n"])


def _not_liftable_counts() -> Iterator[UnmetCount]:
    band, age = _age_band_sql("closed_on", "person__birth_year")
    rows = (
        Frein.objects.filter(state=FreinState.NOT_LIFTABLE, theme__in=list(FREIN_THEMATIQUES), closed_on__isnull=False)
        .annotate(
            _age=age,
            month=TruncMonth("closed_on"),
            thematique=_theme_sql(),
            age_band=band,
            situation=_situation_sql("person__"),
            qpv_code=Coalesce(F("person__qpv__code"), Value(""), output_field=CharField()),
        )
        .values(*KEYS)
        .annotate(n=Count("pk", output_field=IntegerField()))
        .order_by(*KEYS)
    )
    for row in rows:
        yield UnmetCount("frein", **{k: row[k] for k in KEYS}, count=row["n"])


def unmet_aggregates() -> list[UnmetCount]:
    """Every « aucune solution » and « non levable » count by thématique × public × QPV × month. Two queries."""
    return [*_no_solution_counts(), *_not_liftable_counts()]
