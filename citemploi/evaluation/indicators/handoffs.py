"""Indicators about hand-offs (orientations): sent, acknowledged in time, first meeting delay, lost."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from citemploi.evaluation.periods import Period, working_day_after
from citemploi.evaluation.registry import COUNT, MEDIAN, RATE, Indicator, Notes, register
from citemploi.evaluation.sql import days_between, isodow, working_days_allowance
from citemploi.pathways.models import Handoff
from citemploi.pathways.states import HandoffState

HANDOFFS = _("orientations")


def sent_in(period: Period) -> QuerySet[Any]:
    return Handoff.objects.annotate(sent_day=TruncDate("sent_at")).filter(sent_day__range=(period.start, period.end))


def _ack_delay() -> int:
    return int(settings.PATHWAYS_HANDOFF_ACK_WORKING_DAYS)


def _acknowledged_in_time(period: Period) -> tuple[Notes, Q]:
    notes = {
        "sent_dow": isodow("sent_day"),
        "ack_gap": days_between(TruncDate("acknowledged_at"), F("sent_day")),
    }
    notes["allowed"] = working_days_allowance("sent_dow", _ack_delay())
    return notes, Q(acknowledged_at__isnull=False, ack_gap__lte=F("allowed"))


def _lost(period: Period) -> tuple[Notes, Q]:
    refused = Q(state=HandoffState.REFUSED, refused_at__date__lte=period.end)
    expired = Q(state=HandoffState.EXPIRED, expired_at__date__lte=period.end)
    return {}, refused | expired


register(
    Indicator(
        "handoffs_sent",
        _("Orientations envoyées"),
        _("Nombre d'orientations (passages de relais) dont la date d'envoi est dans la période."),
        COUNT,
        HANDOFFS,
        "orientation",
        rows=sent_in,
        person="person__",
        month_field="sent_day",
    ),
    Indicator(
        "handoffs_acknowledged_in_time",
        _("Orientations accusées dans le délai"),
        _(
            "Numérateur : orientations accusées au plus tard le N-ième jour ouvré (lundi–vendredi, jours fériés non "
            "décomptés) après l'envoi, N étant le délai d'accusé de réception réglé (PATHWAYS_HANDOFF_ACK_WORKING_DAYS, "
            "5 par défaut). Dénominateur : orientations envoyées dans la période. Provisoire tant que le délai de la "
            "dernière orientation de la période court."
        ),
        RATE,
        _("taux"),
        "orientation",
        rows=sent_in,
        person="person__",
        numerator=_acknowledged_in_time,
        window_end=lambda p: working_day_after(p.end, _ack_delay()),
    ),
    Indicator(
        "median_days_handoff_to_first_meeting",
        _("Délai médian entre orientation et premier rendez-vous (« sans couture »)"),
        _(
            "Médiane, en jours, de (date du premier rendez-vous tenu − date d'envoi) des orientations envoyées dans "
            "la période dont le premier rendez-vous a eu lieu au plus tard le dernier jour de la période."
        ),
        MEDIAN,
        _("jours"),
        "orientation",
        rows=lambda p: sent_in(p).filter(first_meeting_on__lte=p.end),
        person="person__",
        value=lambda p: days_between(F("first_meeting_on"), F("sent_day")),
    ),
    Indicator(
        "handoffs_lost",
        _("Orientations perdues"),
        _(
            "Numérateur : orientations refusées ou expirées au plus tard le dernier jour de la période. "
            "Dénominateur : orientations envoyées dans la période."
        ),
        RATE,
        _("taux"),
        "orientation",
        rows=sent_in,
        person="person__",
        numerator=_lost,
    ),
)
