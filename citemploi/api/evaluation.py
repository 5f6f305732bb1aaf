"""Indicators API (v1): ``GET /api/v1/indicators/?from=&to=&qpv=&by=`` — every indicator of the registry on the
period, with the same masking as the pages for the caller (statistical secrecy below the coordinator, no RQTH group,
never a name). Definitions: docs/indicators.md."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from citemploi.api.base import AuditedView
from citemploi.core import freshness
from citemploi.core.errors import ValidationFailed
from citemploi.evaluation import outputs
from citemploi.evaluation.breakdowns import BREAKDOWNS
from citemploi.evaluation.periods import period_from
from citemploi.evaluation.permissions import needs_masking
from citemploi.evaluation.registry import Cell, Scope, compute, indicators
from citemploi.evaluation.selectors import require_viewer
from citemploi.territory.models import QPV


class CellOut(serializers.Serializer):  # type: ignore[type-arg]
    numerator = serializers.IntegerField(allow_null=True, help_text="Compte, numérateur, ou nombre de valeurs.")
    denominator = serializers.IntegerField(allow_null=True, help_text="Dénominateur d'un taux (nul sinon).")
    value = serializers.FloatField(allow_null=True, help_text="Compte, taux (4 décimales) ou médiane (jours).")
    provisional = serializers.BooleanField(help_text="Fenêtre de mesure non close.")
    masked = serializers.BooleanField(help_text="Masqué par le secret statistique (1 à 5 personnes).")


class IndicatorOut(CellOut):
    label = serializers.CharField()  # type: ignore[assignment]  # the JSON key, not Field.label
    definition = serializers.CharField()
    kind = serializers.ChoiceField(choices=["count", "rate", "median"])
    unit = serializers.CharField()
    reference = serializers.CharField(
        allow_blank=True, help_text="Source de la définition (ANCT, Réseau pour l'emploi)."
    )
    groups = serializers.DictField(child=CellOut(), help_text="Groupes de la ventilation ``by`` (clé → valeur).")


class IndicatorsOut(serializers.Serializer):  # type: ignore[type-arg]
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    qpv = serializers.CharField(allow_blank=True)
    by = serializers.CharField(allow_blank=True)
    masked = serializers.BooleanField()
    indicators = serializers.DictField(child=IndicatorOut())


def _cell(cell: Cell) -> dict[str, Any]:
    return {**cell.as_json(), "provisional": cell.provisional, "masked": cell.masked}


class IndicatorsView(AuditedView, APIView):
    @extend_schema(
        operation_id="indicators",
        summary="Indicateurs d'une période",
        parameters=[
            OpenApiParameter("from", str, required=True, description="Premier jour (AAAA-MM-JJ)."),
            OpenApiParameter("to", str, required=True, description="Dernier jour, inclus (AAAA-MM-JJ)."),
            OpenApiParameter("qpv", str, description="Code du QPV de résidence à l'entrée."),
            OpenApiParameter("by", str, enum=list(BREAKDOWNS), description="Ventilation."),
        ],
        responses=IndicatorsOut,
    )
    def get(self, request: Request) -> Response:
        user = request.user
        require_viewer(user)
        period = period_from(request.query_params.get("from"), request.query_params.get("to"))
        qpv = request.query_params.get("qpv", "")
        if qpv and not QPV.objects.filter(code=qpv).exists():
            raise ValidationFailed(f"QPV inconnu : {qpv}.", field="qpv")
        by = request.query_params.get("by") or None
        if by is not None and by not in BREAKDOWNS:
            raise ValidationFailed(f"Ventilation inconnue : {by} ({', '.join(BREAKDOWNS)}).", field="by")
        masked = bool(needs_masking(user))
        out: dict[str, Any] = {}
        with freshness.pinned():
            for indicator in indicators():
                result = compute(indicator, period, scope=Scope(qpv=qpv or None), by=by)
                if masked:
                    result = outputs.mask(result)
                out[indicator.id] = {
                    **_cell(result.total),
                    "label": str(indicator.label),
                    "definition": str(indicator.definition),
                    "kind": indicator.kind,
                    "unit": str(indicator.unit),
                    "reference": str(indicator.source),
                    "groups": {k: _cell(c) for k, c in result.groups.items()},
                }
        body = {
            "period_from": period.start,
            "period_to": period.end,
            "qpv": qpv,
            "by": by or "",
            "masked": masked,
            "indicators": out,
        }
        return Response(IndicatorsOut(body).data)
