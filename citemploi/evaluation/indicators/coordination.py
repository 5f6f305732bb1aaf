"""Counts of the former ANCT quarterly report (coordination) and the indicators of the Réseau pour l'emploi that a
cohort can compute. They are not in the contract table of the CLI; each states its source."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Structure
from citemploi.evaluation.breakdowns import age_at
from citemploi.evaluation.indicators.people import EMPLOYMENT_SITUATIONS, entered_in, spotted_in
from citemploi.evaluation.periods import Period
from citemploi.evaluation.registry import COUNT, MEDIAN, RATE, Indicator, Notes, register
from citemploi.evaluation.sql import days_between
from citemploi.partners.models import Action, ActionKind, ActionStatus
from citemploi.pathways.choices import RSA, ContactKind, ExitCategory, ExitSituation, FTCategory
from citemploi.pathways.models import Contact, Exit, Frein, Handoff, Mobilisation, Person

ANCT = _("Ancien bilan trimestriel ANCT des Cités de l'emploi (comptages de coordination)")
RPE = _(
    "Arrêté du 14 mars 2025 portant approbation de la délibération du Comité national pour l'emploi relative à la "
    "liste des indicateurs du réseau pour l'emploi (JORF du 16 mars 2025) — déclinaison sur la cohorte de la Cité"
)
EVENT_KINDS = (ActionKind.JOB_DATING, ActionKind.FORUM, ActionKind.INFO_SESSION, ActionKind.VISIT)


def _actions(period: Period) -> QuerySet[Any]:
    return Action.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start).exclude(
        status=ActionStatus.CANCELLED
    )


def _freins(period: Period) -> QuerySet[Any]:
    return Frein.objects.filter(identified_on__range=(period.start, period.end))


def _frein_people(period: Period) -> QuerySet[Any]:
    frein = Frein.objects.filter(person=OuterRef("pk"), identified_on__range=(period.start, period.end))
    return Person.objects.filter(Exists(frein))


def _active_partners(period: Period) -> QuerySet[Any]:
    start, end = period.start, period.end
    contact = Contact.objects.filter(structure=OuterRef("pk"), happened_at__date__range=(start, end))
    sent = Handoff.objects.filter(from_structure=OuterRef("pk"), sent_at__date__range=(start, end))
    received = Handoff.objects.filter(to_structure=OuterRef("pk"), sent_at__date__range=(start, end))
    scheme = Mobilisation.objects.filter(structure=OuterRef("pk"), entered_on__range=(start, end))
    return Structure.objects.filter(Exists(contact) | Exists(sent) | Exists(received) | Exists(scheme))


def _meetings(period: Period) -> QuerySet[Any]:
    kinds = (ContactKind.MEETING, ContactKind.DIAGNOSTIC, ContactKind.WORKSHOP)
    return Contact.objects.filter(kind__in=kinds, happened_at__date__range=(period.start, period.end))


def _first_referent(period: Period) -> QuerySet[Any]:
    rows: QuerySet[Any] = (
        spotted_in(period).annotate(referent_day=TruncDate("first_referent_at")).filter(referent_day__lte=period.end)
    )
    return rows


def _priority(period: Period) -> tuple[Notes, Q]:
    rsa = Q(rsa__in=[RSA.MAJORE, RSA.NON_MAJORE])
    ft = Q(ft_registered=True, ft_category__in=[FTCategory.A, FTCategory.B, FTCategory.C])
    return {"entry_age": age_at("")}, rsa | Q(rqth=True) | Q(entry_age__lt=26, birth_date__isnull=False) | ft


def _count(id: str, label: Any, definition: Any, rows: Any, *, source: Any, person: str | None, unit: Any) -> Indicator:
    section = "coordination" if source is ANCT else "rpe"
    return Indicator(
        id, label, definition, COUNT, unit, section, rows=rows, person=person, source=source, contract=False
    )


register(
    _count("anct_actions", _("Actions de coordination"),
           _("Actions datées (ateliers, job datings, formations…) en cours dans la période (début au plus tard le "
             "dernier jour, fin au plus tôt le premier), hors actions annulées."),
           _actions, source=ANCT, person=None, unit=_("actions")),
    _count("anct_events", _("Événements"),
           _("Parmi les actions de coordination, les job datings, forums, informations collectives et visites "
             "d'entreprise."),
           lambda p: _actions(p).filter(kind__in=EVENT_KINDS), source=ANCT, person=None, unit=_("événements")),
    _count("anct_frein_actions", _("Actions sur les freins"),
           _("Freins identifiés dans la période (chacun ouvre une action de levée)."),
           _freins, source=ANCT, person="person__", unit=_("freins")),
    _count("anct_frein_people", _("Personnes touchées par une action sur les freins"),
           _("Personnes ayant au moins un frein identifié dans la période."),
           _frein_people, source=ANCT, person="", unit=_("personnes")),
    _count("anct_active_partners", _("Partenaires actifs"),
           _("Structures ayant, dans la période, enregistré un contact, envoyé ou reçu une orientation, ou fait "
             "entrer une personne dans un dispositif dont elles ont la charge."),
           _active_partners, source=ANCT, person=None, unit=_("structures")),
    _count("anct_meetings", _("Rendez-vous tenus"),
           _("Contacts de type rendez-vous, entretien de diagnostic ou atelier datés dans la période."),
           _meetings, source=ANCT, person="person__", unit=_("rendez-vous")),
    Indicator(
        "rpe_delay_to_support", _("Délai d'entrée en accompagnement"),
        _("Médiane, en jours, de (première désignation d'un référent unique − repérage) des personnes repérées dans "
          "la période dont le référent a été désigné au plus tard le dernier jour de la période."),
        MEDIAN, _("jours"), "rpe", rows=_first_referent,
        value=lambda p: days_between(F("referent_day"), F("spotted")), source=RPE, contract=False,
    ),
    _count("rpe_support_ruptures", _("Ruptures d'accompagnement"),
           _("Sorties datées dans la période pour « perdu de vue » ou « refus de l'accompagnement »."),
           lambda p: Exit.objects.filter(exited_on__range=(p.start, p.end),
                                         situation__in=[ExitSituation.LOST, ExitSituation.REFUSAL]),
           source=RPE, person="person__", unit=_("sorties")),
    _count("rpe_returns_to_employment", _("Retours à l'emploi"),
           _("Sorties datées dans la période en CDI, CDD, intérim, titularisation, création d'entreprise ou contrat "
             "aidé, quelle que soit la durée du contrat."),
           lambda p: Exit.objects.filter(exited_on__range=(p.start, p.end), situation__in=EMPLOYMENT_SITUATIONS),
           source=RPE, person="person__", unit=_("sorties")),
    _count("rpe_durable_employment", _("Retours à l'emploi durable"),
           _("Sorties datées dans la période de catégorie « emploi durable »."),
           lambda p: Exit.objects.filter(exited_on__range=(p.start, p.end), category=ExitCategory.DURABLE),
           source=RPE, person="person__", unit=_("sorties")),
    Indicator(
        "rpe_priority_publics_share", _("Part des publics prioritaires parmi les entrants"),
        _("Numérateur : personnes entrées dans la période allocataires du RSA, inscrites à France Travail en "
          "catégorie A, B ou C, reconnues travailleurs handicapés (RQTH) ou âgées de moins de 26 ans à l'entrée. "
          "Dénominateur : personnes entrées dans la période."),
        RATE, _("taux"), "rpe", rows=entered_in, numerator=_priority, source=RPE, contract=False,
    ),
)  # fmt: skip
