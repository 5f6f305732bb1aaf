"""Indicators about exits (DOMAIN.md §5 categories) and freins."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from citemploi.evaluation.periods import Period
from citemploi.evaluation.registry import COUNT, RATE, Indicator, Notes, register
from citemploi.pathways.choices import ExitCategory
from citemploi.pathways.milestones import DYNAMIC_CATEGORIES
from citemploi.pathways.models import Exit, Frein
from citemploi.pathways.states import FreinState

DYNAMIC = DYNAMIC_CATEGORIES


def exits_in(period: Period) -> QuerySet[Any]:
    return Exit.objects.filter(exited_on__range=(period.start, period.end))


def _non_neutral(period: Period) -> QuerySet[Any]:
    return exits_in(period).exclude(category=ExitCategory.NEUTRAL)


def _durable(period: Period) -> tuple[Notes, Q]:
    return {}, Q(category=ExitCategory.DURABLE)


def _dynamic(period: Period) -> tuple[Notes, Q]:
    return {}, Q(category__in=DYNAMIC)


def _lifted(period: Period) -> tuple[Notes, Q]:
    return {}, Q(state=FreinState.LIFTED, closed_on__lte=period.end)


register(
    Indicator(
        "exits",
        _("Sorties"),
        _("Nombre de sorties du parcours dont la date de sortie est dans la période."),
        COUNT,
        _("sorties"),
        "sorties",
        rows=exits_in,
        person="person__",
        month_field="exited_on",
    ),
    Indicator(
        "durable_exit_rate",
        _("Taux de sortie en emploi durable"),
        _(
            "Numérateur : sorties de catégorie « emploi durable » (CDI ; CDD ou intérim dont fin + 1 jour ≥ début + "
            "6 mois calendaires, le début étant celui du contrat ou, à défaut, la date de sortie ; titularisation ; "
            "création d'entreprise). Dénominateur : sorties datées dans la période, hors sorties neutres "
            "(déménagement, santé, décès, retraite)."
        ),
        RATE,
        _("taux"),
        "sorties",
        rows=_non_neutral,
        person="person__",
        numerator=_durable,
    ),
    Indicator(
        "dynamic_exit_rate",
        _("Taux de sorties dynamiques"),
        _(
            "Numérateur : sorties « emploi durable », « emploi de transition » (dont CDD ou intérim sans date de fin "
            "connue) ou « sortie positive ». Dénominateur : sorties datées dans la période, hors sorties neutres."
        ),
        RATE,
        _("taux"),
        "sorties",
        rows=_non_neutral,
        person="person__",
        numerator=_dynamic,
    ),
    Indicator(
        "freins_lifted_rate",
        _("Freins levés"),
        _(
            "Numérateur : freins à l'état « levé » clos au plus tard le dernier jour de la période. Dénominateur : "
            "freins identifiés dans la période."
        ),
        RATE,
        _("taux"),
        "freins",
        rows=lambda p: Frein.objects.filter(identified_on__range=(p.start, p.end)),
        person="person__",
        numerator=_lifted,
    ),
)
