"""Pathways API (v1): people, hand-offs, contacts, scheme mobilisations. Same visibility as the screens: every
queryset is scoped to the requesting user, someone else's record answers 404, outside reads are access-logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from citemploi.accounts.models import Structure, User
from citemploi.pathways import services
from citemploi.pathways.models import Contact, Handoff, Mobilisation, Person
from citemploi.pathways.permissions import (
    can_add_contact,
    can_answer_handoff,
    can_edit_person,
    can_move_mobilisation,
    can_register_person,
    sight_of,
)
from citemploi.pathways.selectors import people_for_viewer, person_for_viewer, visible_person
from citemploi.schemes.models import Scheme

from . import pathways_serializers as s


def _user(request: Request) -> User:
    """The caller's account: every route needs an authenticated user (DEFAULT_PERMISSION_CLASSES)."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


def _person(request: Request, public_id: Any, *, edit: bool = False) -> Person:
    """The person if the caller sees them (else 404, access-logged from outside: ``person_for_viewer``)."""
    viewed = person_for_viewer(request.user, public_id, reason="API", path=request.path)
    if edit and not can_edit_person(request.user, viewed.sight):
        raise PermissionDenied(_("Seule la structure référente peut modifier cette fiche."))
    return viewed.person


class PersonViewSet(viewsets.GenericViewSet[Person]):
    lookup_field = "public_id"
    serializer_class = s.PersonOutSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return visible_person(self.request.user).order_by("last_name", "first_name", "id")

    def _render(self, people: list[Person]) -> list[dict[str, Any]]:
        sights = people_for_viewer(self.request.user, people, reason="API", path=self.request.path[:500])
        return s.PersonOutSerializer(people, many=True, context={"sights": sights}).data  # type: ignore[return-value]

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._render(list(page or [])))

    def retrieve(self, request: Request, public_id: Any = None) -> Response:
        viewed = person_for_viewer(request.user, public_id, reason="API", path=request.path)
        return Response(s.PersonOutSerializer(viewed.person, context={"sights": {viewed.person.pk: viewed.sight}}).data)

    @extend_schema(request=s.PersonInSerializer, responses=s.PersonOutSerializer)
    def create(self, request: Request) -> Response:
        user = _user(request)
        structure = user.primary_structure
        if not can_register_person(user) or structure is None:
            raise PermissionDenied(_("Votre rôle ne permet pas d'enregistrer une personne."))
        data = s.PersonInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_register(by=user, structure=structure, **data.validated_data)
        return Response(
            self._render([visible_person(request.user).get(pk=person.pk)])[0], status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.PersonPatchSerializer, responses=s.PersonOutSerializer)
    def partial_update(self, request: Request, public_id: Any = None) -> Response:
        person = _person(request, public_id, edit=True)
        data = s.PersonPatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.person_update(by=_user(request), person=person, **data.validated_data)
        return Response(self._render([visible_person(request.user).get(pk=person.pk)])[0])


class HandoffViewSet(viewsets.GenericViewSet[Handoff]):
    lookup_field = "public_id"
    serializer_class = s.HandoffOutSerializer

    def get_queryset(self) -> QuerySet[Handoff]:
        return Handoff.objects.visible_to(self.request.user).select_related("person", "from_structure", "to_structure")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.HandoffOutSerializer(page, many=True).data)

    @extend_schema(request=s.HandoffInSerializer, responses=s.HandoffOutSerializer)
    def create(self, request: Request) -> Response:
        data = s.HandoffInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = _person(request, values["person"], edit=True)
        to_structure = get_object_or_404(Structure, public_id=values["to_structure"])
        mobilisation = (
            person.mobilisations.filter(public_id=values.get("mobilisation")).first()
            if values.get("mobilisation")
            else None
        )
        handoff = services.handoff_send(by=_user(request), person=person, to_structure=to_structure, reason=values["reason"],
                                        shared=values["shared"], mobilisation=mobilisation)  # fmt: skip
        return Response(s.HandoffOutSerializer(handoff).data, status=status.HTTP_201_CREATED)

    def _answer(self, request: Request, call: Callable[[Handoff], Handoff]) -> Response:
        handoff = self.get_object()
        if not can_answer_handoff(request.user, handoff):
            raise PermissionDenied(_("Seule la structure destinataire peut répondre à cette orientation."))
        return Response(s.HandoffOutSerializer(call(handoff)).data)

    @extend_schema(request=None, responses=s.HandoffOutSerializer)
    def acknowledge(self, request: Request, public_id: Any = None) -> Response:
        return self._answer(request, lambda h: services.handoff_acknowledge(by=_user(request), handoff=h))

    @extend_schema(request=s.RefuseInSerializer, responses=s.HandoffOutSerializer)
    def refuse(self, request: Request, public_id: Any = None) -> Response:
        data = s.RefuseInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            request, lambda h: services.handoff_refuse(by=_user(request), handoff=h, **data.validated_data)
        )

    @extend_schema(request=s.FirstMeetingInSerializer, responses=s.HandoffOutSerializer)
    def first_meeting(self, request: Request, public_id: Any = None) -> Response:
        data = s.FirstMeetingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            request, lambda h: services.handoff_first_meeting(by=_user(request), handoff=h, **data.validated_data)
        )


class ContactViewSet(viewsets.GenericViewSet[Contact]):
    serializer_class = s.ContactOutSerializer

    def get_queryset(self) -> QuerySet[Contact]:
        return (
            Contact.objects.visible_to(self.request.user)
            .select_related("person", "structure")
            .order_by("-happened_at", "-id")
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ContactOutSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(request=s.ContactInSerializer, responses=s.ContactOutSerializer)
    def create(self, request: Request) -> Response:
        data = s.ContactInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = _person(request, values.pop("person"))
        if not can_add_contact(request.user, sight_of(request.user, person)):
            raise PermissionDenied(_("Accusez réception de l'orientation avant d'enregistrer un contact."))
        contact = services.contact_record(by=_user(request), person=person, **values)
        return Response(
            s.ContactOutSerializer(contact, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class MobilisationViewSet(viewsets.GenericViewSet[Mobilisation]):
    lookup_field = "public_id"
    serializer_class = s.MobilisationOutSerializer

    def get_queryset(self) -> QuerySet[Mobilisation]:
        return (
            Mobilisation.objects.visible_to(self.request.user)
            .select_related("person", "scheme", "structure")
            .order_by("-proposed_on", "-id")
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.MobilisationOutSerializer(page, many=True).data)

    @extend_schema(request=s.MobilisationInSerializer, responses=s.MobilisationOutSerializer)
    def create(self, request: Request) -> Response:
        data = s.MobilisationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = _person(request, values["person"], edit=True)
        scheme = get_object_or_404(Scheme, code=values["scheme"])
        structure = get_object_or_404(Structure, public_id=values["structure"])
        mobilisation = services.mobilisation_propose(
            by=_user(request), person=person, scheme=scheme, structure=structure
        )
        return Response(s.MobilisationOutSerializer(mobilisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TransitionInSerializer, responses=s.MobilisationOutSerializer)
    def transition(self, request: Request, public_id: Any = None) -> Response:
        mobilisation = self.get_object()
        if not can_move_mobilisation(request.user, sight_of(request.user, mobilisation.person), mobilisation):
            raise PermissionDenied(
                _("Seule la structure référente ou la structure en charge peut faire évoluer ce dispositif.")
            )
        data = s.TransitionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.mobilisation_transition(by=_user(request), mobilisation=mobilisation, **data.validated_data)
        return Response(s.MobilisationOutSerializer(moved).data)
