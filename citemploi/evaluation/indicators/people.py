"""Indicators about people: repérage, entry, activity, contact delay, droit commun, access to employment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from citemploi.evaluation.periods import Period
from citemploi.evaluation.registry import COUNT, MEDIAN, RATE, Indicator, Notes, register
from citemploi.evaluation.sql import days, days_between, first_spotted, within_months
from citemploi.pathways.choices import ExitSituation
from citemploi.pathways.exits import add_months
from citemploi.pathways.models import Exit, Mobilisation, Person

PEOPLE = _("personnes")

#: Exits into a job (issue 13 §2, employment_access_6_months).
EMPLOYMENT_SITUATIONS = (
    ExitSituation.CDI,
    ExitSituation.CDD,
    ExitSituation.INTERIM,
    ExitSituation.TITULARISATION,
    ExitSituation.CREATION,
    ExitSituation.SUBSIDISED,
)
#: Contracts that always last 30 days or more.
OPEN_ENDED = (ExitSituation.CDI, ExitSituation.TITULARISATION, ExitSituation.CREATION)


def spotted_in(period: Period) -> QuerySet[Any]:
    return Person.objects.annotate(spotted=first_spotted()).filter(spotted__range=(period.start, period.end))


def entered_in(period: Period) -> QuerySet[Any]:
    return Person.objects.filter(qpv_entry_on__range=(period.start, period.end))


def _active_at_end(period: Period) -> QuerySet[Any]:
    exited = Exit.objects.filter(person=OuterRef("pk"), exited_on__lte=period.end)
    return Person.objects.filter(qpv_entry_on__lte=period.end).filter(~Exists(exited))


def _contacted_within_30(period: Period) -> tuple[Notes, Q]:
    notes = {"gap": days_between(F("qpv_entry_on"), F("spotted"))}
    return notes, Q(qpv_entry_on__isnull=False, gap__lte=timedelta(days=30))


def _scheme_within(months: int) -> Any:
    def numerator(period: Period) -> tuple[Notes, Q]:
        notes, within = within_months("w", F("entered_on"), OuterRef("qpv_entry_on"), months)
        entered = (
            Mobilisation.objects.filter(person=OuterRef("pk"), entered_on__gte=OuterRef("qpv_entry_on"))
            .annotate(**notes)
            .filter(within)
        )
        return {f"scheme_{months}": Exists(entered)}, Q(**{f"scheme_{months}": True})

    return numerator


def _employment_within(months: int) -> Any:
    def numerator(period: Period) -> tuple[Notes, Q]:
        notes, within = within_months("w", F("cstart"), OuterRef("qpv_entry_on"), months)
        jobs = (
            Exit.objects.filter(person=OuterRef("pk"), situation__in=EMPLOYMENT_SITUATIONS)
            .annotate(cstart=Coalesce("contract_start_on", "exited_on"))
            .filter(cstart__gte=OuterRef("qpv_entry_on"))
            .annotate(**notes, clen=days_between(F("contract_end_on"), F("cstart")))
            .filter(within)
            .filter(Q(situation__in=OPEN_ENDED) | Q(contract_end_on__isnull=False, clen__gte=days(29)))
        )
        return {f"job_{months}": Exists(jobs)}, Q(**{f"job_{months}": True})

    return numerator


register(
    Indicator(
        "spotted",
        _("Personnes repérées"),
        _("Nombre de personnes dont la date de (premier) repérage est dans la période."),
        COUNT,
        PEOPLE,
        "reperage",
        rows=spotted_in,
        month_field="spotted",
    ),
    Indicator(
        "entered",
        _("Entrées en parcours"),
        _(
            "Nombre de personnes dont la date d'entrée est dans la période. L'entrée est le premier contact (passage "
            "de « repéré » à « contacté »), datée du contact."
        ),
        COUNT,
        PEOPLE,
        "reperage",
        rows=entered_in,
        month_field="qpv_entry_on",
    ),
    Indicator(
        "active_at_end",
        _("Personnes accompagnées en fin de période"),
        _("Personnes entrées au plus tard le dernier jour de la période et sans sortie datée de ce jour ou avant."),
        COUNT,
        PEOPLE,
        "reperage",
        rows=_active_at_end,
    ),
    Indicator(
        "contacted_within_30_days",
        _("Part des personnes repérées contactées sous 30 jours"),
        _(
            "Numérateur : personnes dont la date d'entrée (premier contact) est au plus tard 30 jours après la date "
            "de repérage, même si le contact a eu lieu après la période. Dénominateur : personnes repérées dans la "
            "période. Provisoire tant que 30 jours ne sont pas passés après la fin de la période."
        ),
        RATE,
        _("taux"),
        "reperage",
        rows=spotted_in,
        numerator=_contacted_within_30,
        window_end=lambda p: p.end + timedelta(days=30),
    ),
    Indicator(
        "median_days_to_first_contact",
        _("Délai médian entre repérage et premier contact"),
        _(
            "Médiane, en jours, de (date d'entrée − date de repérage) des personnes repérées dans la période et "
            "entrées au plus tard le dernier jour de la période (valeur du milieu, ou moyenne des deux du milieu)."
        ),
        MEDIAN,
        _("jours"),
        "reperage",
        rows=lambda p: spotted_in(p).filter(qpv_entry_on__lte=p.end),
        value=lambda p: days_between(F("qpv_entry_on"), F("spotted")),
    ),
    Indicator(
        "droit_commun_6_months",
        _("Raccrochage au droit commun à 6 mois"),
        _(
            "Numérateur : personnes ayant au moins une mobilisation de dispositif entrée (quelle qu'en soit la suite) "
            "dont la date d'entrée est entre l'entrée en parcours et 6 mois calendaires après (même jour six mois "
            "plus tard, ou dernier jour du mois). Dénominateur : personnes entrées dans la période. Provisoire tant "
            "que la fenêtre de la dernière entrée n'est pas close."
        ),
        RATE,
        _("taux"),
        "droit_commun",
        rows=entered_in,
        numerator=_scheme_within(6),
        window_end=lambda p: add_months(p.end, 6),
    ),
    Indicator(
        "droit_commun_12_months",
        _("Raccrochage au droit commun à 12 mois"),
        _("Comme à 6 mois, avec une fenêtre de 12 mois calendaires après l'entrée en parcours."),
        RATE,
        _("taux"),
        "droit_commun",
        rows=entered_in,
        numerator=_scheme_within(12),
        window_end=lambda p: add_months(p.end, 12),
    ),
    Indicator(
        "employment_access_6_months",
        _("Accès à l'emploi à 6 mois"),
        _(
            "Numérateur : personnes ayant une sortie en CDI, CDD, intérim, titularisation, création d'entreprise ou "
            "contrat aidé dont le début du contrat (la date de sortie s'il n'est pas connu) est entre l'entrée en "
            "parcours et 6 mois calendaires après, et dont le contrat dure au moins 30 jours (toujours pour un CDI, "
            "une titularisation ou une création ; sinon fin − début + 1 ≥ 30 ; sans date de fin, la durée n'est pas "
            "connue et la sortie n'est pas comptée). Dénominateur : personnes entrées dans la période."
        ),
        RATE,
        _("taux"),
        "emploi",
        rows=entered_in,
        numerator=_employment_within(6),
        window_end=lambda p: add_months(p.end, 6),
    ),
)
