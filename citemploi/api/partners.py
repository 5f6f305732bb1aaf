"""API of the partner self-service: read the census, propose changes to one's own services and actions.

Every queryset is scoped to the requester: an entry of another structure answers 404 on write, whether it exists
or not. Writes go through the same services as the screens (proposals wait for the coordinator's validation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from citemploi.accounts.models import Structure
from citemploi.api.base import AuditedView, TextOnly
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.partners import referentials as ref
from citemploi.partners.models import Action, ActionKind, ActionStatus, RoadmapAxis, Service
from citemploi.partners.permissions import can_edit_structure_offer, can_view_census
from citemploi.partners.selectors import (
    actions_editable_by,
    actions_visible_to,
    services_editable_by,
    services_visible_to,
)
from citemploi.partners.services import ActionChanges, ServiceChanges, action_submit, service_submit
from citemploi.territory.models import QPV


class CanViewCensus(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(can_view_census(request.user))


def _multi(choices: list[tuple[str, str]]) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False)


class ServiceOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    structure = serializers.UUIDField(source="structure.public_id")

    class Meta:
        model = Service
        fields = ["id", "structure", "name", "description", "type", "thematiques", "publics", "frais", "modes_accueil",
                  "modes_mobilisation", "mobilisable_par", "zone_eligibilite", "address", "postcode", "city", "qpv_code",
                  "telephone", "courriel", "horaires_accueil", "is_published", "updated_at"]  # fmt: skip


class ServiceIn(TextOnly, serializers.Serializer):  # type: ignore[type-arg]
    structure = serializers.UUIDField(required=False, help_text=_("Structure du service (création uniquement)."))
    name = serializers.CharField(max_length=150, required=False)
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False)
    type = serializers.ChoiceField(choices=ref.TYPE_SERVICE_CHOICES, required=False, allow_blank=True)
    thematiques = _multi(ref.THEMATIQUE_CHOICES)
    publics = _multi(ref.PUBLIC_CHOICES)
    frais = serializers.ChoiceField(choices=ref.FRAIS_CHOICES, required=False, allow_blank=True)
    modes_accueil = _multi(ref.MODE_ACCUEIL_CHOICES)
    modes_mobilisation = _multi(ref.MODE_MOBILISATION_CHOICES)
    mobilisable_par = _multi(ref.MOBILISABLE_PAR_CHOICES)
    conditions_acces = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=5, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    telephone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    courriel = serializers.EmailField(required=False, allow_blank=True)
    horaires_accueil = serializers.CharField(max_length=250, required=False, allow_blank=True)


class ActionOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    carrier = serializers.UUIDField(source="carrier.public_id")

    class Meta:
        model = Action
        fields = ["id", "carrier", "title", "kind", "description", "axis", "starts_on", "ends_on", "place_name",
                  "address", "postcode", "city", "qpv_code", "publics", "thematiques", "capacity", "status",
                  "is_public", "is_published", "updated_at"]  # fmt: skip


class ActionIn(TextOnly, serializers.Serializer):  # type: ignore[type-arg]
    carrier = serializers.UUIDField(required=False, help_text=_("Structure porteuse (création uniquement)."))
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=ActionKind.choices, required=False)
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    axis = serializers.ChoiceField(choices=RoadmapAxis.choices, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    place_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=5, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    publics = _multi(ref.PUBLIC_CHOICES)
    thematiques = _multi(ref.THEMATIQUE_CHOICES)
    capacity = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    is_public = serializers.BooleanField(required=False)
    qpvs_served = serializers.ListField(child=serializers.CharField(max_length=10), required=False)

    def validate_qpvs_served(self, value: list[str]) -> list[QPV]:
        found = list(QPV.objects.filter(code__in=value))
        if len(found) != len(set(value)):
            raise serializers.ValidationError(_("Code QPV inconnu."))
        return found


def _own(user: Any, public_id: Any) -> Structure:
    structure = Structure.objects.filter(public_id=public_id, is_active=True).first()
    if structure is None or not can_edit_structure_offer(user, structure):
        raise Http404
    return structure


def _submit(submit: Any, **kwargs: Any) -> Any:
    """Domain errors go to the API's one handler (citemploi.api.errors); a model's validation becomes a 400."""
    try:
        return submit(**kwargs)
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


@dataclass(frozen=True)
class _Offer:
    """What tells the service endpoints from the action endpoints; the views below are otherwise the same."""

    model: type[Service] | type[Action]
    owner: str  # field naming the owning structure, also the submit service's keyword ("structure", "carrier")
    entry: str  # the submit service's keyword for the edited entry ("service", "action")
    reader: type[serializers.ModelSerializer]  # type: ignore[type-arg]
    writer: type[serializers.Serializer]  # type: ignore[type-arg]
    visible_to: Callable[[Any], QuerySet[Any]]
    editable_by: Callable[[Any], QuerySet[Any]]
    submit: Callable[..., Any]
    changes: type[ServiceChanges] | type[ActionChanges]  # the submit service's typed input


SERVICES = _Offer(
    model=Service,
    owner="structure",
    entry="service",
    reader=ServiceOut,
    writer=ServiceIn,
    visible_to=services_visible_to,
    editable_by=services_editable_by,
    submit=service_submit,
    changes=ServiceChanges,
)
ACTIONS = _Offer(
    model=Action,
    owner="carrier",
    entry="action",
    reader=ActionOut,
    writer=ActionIn,
    visible_to=actions_visible_to,
    editable_by=actions_editable_by,
    submit=action_submit,
    changes=ActionChanges,
)


# List the entries the requester sees; create one under a structure whose offer they edit.
# (Comments, not docstrings: drf-spectacular would publish a docstring as the endpoint's description.)
class _OfferList(AuditedView, generics.ListCreateAPIView):  # type: ignore[type-arg]
    permission_classes = [CanViewCensus]
    offer: ClassVar[_Offer]

    def get_serializer_class(self) -> Any:
        return self.offer.reader

    def get_queryset(self) -> Any:
        return self.offer.visible_to(self.request.user).select_related(self.offer.owner).order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        offer = self.offer
        data = offer.writer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = _own(request.user, values.pop(offer.owner, None))
        changes = offer.changes.of(values)
        entry = _submit(offer.submit, actor=request.user, changes=changes, **{offer.owner: owner})
        return Response(offer.reader(entry).data, status=status.HTTP_201_CREATED)


# Read an entry the requester sees; change (PATCH) one of their own structure's, else 404.
class _OfferDetail(AuditedView, generics.RetrieveUpdateAPIView):  # type: ignore[type-arg]
    permission_classes = [CanViewCensus]
    lookup_field = "public_id"
    http_method_names = ["get", "patch", "head", "options"]
    offer: ClassVar[_Offer]

    def get_serializer_class(self) -> Any:
        return self.offer.reader

    def get_queryset(self) -> Any:
        return self.offer.visible_to(self.request.user).select_related(self.offer.owner)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        offer = self.offer
        entry = get_object_or_404(offer.editable_by(request.user), public_id=kwargs["public_id"])
        data = offer.writer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != offer.owner}
        owner = getattr(entry, offer.owner)
        changes = offer.changes.of(values)
        entry = _submit(offer.submit, actor=request.user, changes=changes, **{offer.owner: owner, offer.entry: entry})
        return Response(offer.reader(offer.model.objects.get(pk=entry.pk)).data)


# The schema shows the writer as the request body and the reader as the answer (the views read with one
# serializer and write with the other).
@extend_schema_view(post=extend_schema(request=ServiceIn, responses={201: ServiceOut}))
class ServiceList(_OfferList):
    offer = SERVICES


@extend_schema_view(patch=extend_schema(request=ServiceIn, responses=ServiceOut))
class ServiceDetail(_OfferDetail):
    offer = SERVICES


@extend_schema_view(post=extend_schema(request=ActionIn, responses={201: ActionOut}))
class ActionList(_OfferList):
    offer = ACTIONS


@extend_schema_view(patch=extend_schema(request=ActionIn, responses=ActionOut))
class ActionDetail(_OfferDetail):
    offer = ACTIONS


urlpatterns = [
    path("v1/offre/services/", ServiceList.as_view(), name="partners_services"),
    path("v1/offre/services/<uuid:public_id>/", ServiceDetail.as_view(), name="partners_service"),
    path("v1/offre/actions/", ActionList.as_view(), name="partners_actions"),
    path("v1/offre/actions/<uuid:public_id>/", ActionDetail.as_view(), name="partners_action"),
]
