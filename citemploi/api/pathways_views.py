"""Pathways API (v1): people, hand-offs, contacts, scheme mobilisations. Same visibility as the screens: every
queryset is scoped to the requesting user, someone else's record answers 404, outside reads are access-logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from citemploi.accounts.models import Structure, User
from citemploi.api.base import AuditedView
from citemploi.core.errors import Conflict, NotFound
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
from citemploi.pathways.selectors import ViewedPerson, people_for_viewer, person_for_viewer, visible_person
from citemploi.schemes.models import Scheme

from . import pathways_serializers as s


def _user(request: Request) -> User:
    """The caller's account: every route needs an authenticated user (DEFAULT_PERMISSION_CLASSES)."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class _Merged(APIException):
    """A record absorbed by a merge, named with the kept record (which the caller may see)."""

    def __init__(self, error: services.PersonMerged, code: int) -> None:
        self.status_code = code
        into = error.into.public_id
        url = reverse("api:person-detail", args=[into])
        super().__init__({"detail": error.message, "merged_into": str(into), "url": url})


def _merged_answer(error: services.PersonMerged, code: int) -> Response:
    return Response(_Merged(error, code).detail, status=code)


def _viewed(request: Request, public_id: Any, *, merged_status: int | None = None) -> ViewedPerson:
    """The person and the caller's sight of them (else 404, access-logged from outside: ``person_for_viewer``).
    With ``merged_status``, an identifier absorbed by a merge answers that status with the kept record (when the
    caller may see it)."""
    try:
        return person_for_viewer(request.user, public_id, reason="API", path=request.path)
    except NotFound:
        into = services.person_merged_into(viewer=_user(request), public_id=public_id) if merged_status else None
        if into is None or merged_status is None:
            raise
        raise _Merged(services.PersonMerged(into=into, into_visible=True), merged_status) from None


def _person(request: Request, public_id: Any, *, edit: bool = False, merged_status: int | None = None) -> Person:
    """The person (see ``_viewed``); with ``edit``, only for a caller who may edit the record (else 403)."""
    viewed = _viewed(request, public_id, merged_status=merged_status)
    if edit and not can_edit_person(request.user, viewed.sight):
        raise PermissionDenied(_("Seule la structure référente peut modifier cette fiche."))
    return viewed.person


class PersonViewSet(AuditedView, viewsets.GenericViewSet[Person]):
    lookup_field = "public_id"
    serializer_class = s.PersonOutSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return visible_person(self.request.user).order_by("search_name", "id")

    def _render(self, people: list[Person]) -> list[dict[str, Any]]:
        sights = people_for_viewer(self.request.user, people, reason="API", path=self.request.path[:500])
        return s.PersonOutSerializer(people, many=True, context={"sights": sights}).data  # type: ignore[return-value]

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._render(list(page or [])))

    def retrieve(self, request: Request, public_id: Any = None) -> Response:
        viewed = _viewed(request, public_id, merged_status=status.HTTP_404_NOT_FOUND)
        data = s.PersonOutSerializer(viewed.person, context={"sights": {viewed.person.pk: viewed.sight}}).data
        return Response(data, headers={"ETag": _etag(viewed.person)})

    @extend_schema(request=s.PersonInSerializer, responses=s.PersonOutSerializer)
    def create(self, request: Request) -> Response:
        user = _user(request)
        structure = user.primary_structure
        if not can_register_person(user) or structure is None:
            raise PermissionDenied(_("Votre rôle ne permet pas d'enregistrer une personne."))
        data = s.PersonInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = services.person_register(
            by=user,
            structure=structure,
            channel=values.pop("channel"),
            spotted_on=values.pop("spotted_on"),
            place=values.pop("place", ""),
            fields=services.PersonFields(**values),
        )
        return Response(
            self._render([visible_person(request.user).get(pk=person.pk)])[0],
            status=status.HTTP_201_CREATED,
            headers={"ETag": _etag(person)},
        )

    @extend_schema(
        request=s.PersonPatchSerializer,
        responses={200: s.PersonOutSerializer, 409: s.ConflictSerializer, 412: s.ConflictSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="ETag lu (GET) : la modification est refusée (412) si la fiche a changé depuis.",
            )
        ],
    )
    def partial_update(self, request: Request, public_id: Any = None) -> Response:
        person = _person(request, public_id, edit=True, merged_status=status.HTTP_409_CONFLICT)
        data = s.PersonPatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version, precondition = values.pop("version", None), _if_match(request)
        try:
            updated = services.person_update(
                by=_user(request),
                person=person,
                changes=services.PersonChanges(**values),
                version=precondition if precondition is not None else version,
            )
        except services.PersonMerged as error:
            return _merged_answer(error, status.HTTP_409_CONFLICT)
        except Conflict as error:
            code = status.HTTP_412_PRECONDITION_FAILED if precondition is not None else status.HTTP_409_CONFLICT
            return Response({"detail": error.message}, status=code)
        rendered = self._render([visible_person(request.user).get(pk=person.pk)])[0]
        return Response(rendered, headers={"ETag": _etag(updated)})


def _etag(person: Person) -> str:
    """The person's version as an HTTP entity tag (strong: any change bumps it)."""
    return f'"{person.version}"'


def _if_match(request: Request) -> int | None:
    """The version named by an ``If-Match`` header (``"3"``, ``W/"3"``), or None without the header; an
    unreadable value is refused (400) rather than ignored."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationError({"detail": _('En-tête If-Match illisible : renvoyez l\'ETag reçu, par exemple "3".')})
    return int(value)


class HandoffViewSet(AuditedView, viewsets.GenericViewSet[Handoff]):
    lookup_field = "public_id"
    serializer_class = s.HandoffOutSerializer

    def get_queryset(self) -> QuerySet[Handoff]:
        # Schema generation has no user: nobody is seen.
        return (
            Handoff.objects.visible_to(self.request.user)
            .select_related("person", "from_structure", "to_structure")
            .order_by("-sent_at", "-id")
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.HandoffOutSerializer(page, many=True).data)

    @extend_schema(request=s.HandoffInSerializer, responses={201: s.HandoffOutSerializer, 409: s.ConflictSerializer})
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
        # A live hand-off to this structure already there: Conflict → 409 (api.errors).
        handoff = services.handoff_send(by=_user(request), person=person, to_structure=to_structure, reason=values["reason"],
                                        shared=values["shared"], mobilisation=mobilisation)  # fmt: skip
        return Response(s.HandoffOutSerializer(handoff).data, status=status.HTTP_201_CREATED)

    def _answer(self, request: Request, call: Callable[[Handoff], object]) -> Response:
        handoff = self.get_object()
        if not can_answer_handoff(request.user, handoff):
            raise PermissionDenied(_("Seule la structure destinataire peut répondre à cette orientation."))
        call(handoff)
        return Response(s.HandoffOutSerializer(self.get_queryset().get(pk=handoff.pk)).data)

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


class ContactViewSet(AuditedView, viewsets.GenericViewSet[Contact]):
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


class MobilisationViewSet(AuditedView, viewsets.GenericViewSet[Mobilisation]):
    lookup_field = "public_id"
    serializer_class = s.MobilisationOutSerializer

    def get_queryset(self) -> QuerySet[Mobilisation]:
        # Schema generation has no user: nobody is seen.
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
        services.mobilisation_transition(by=_user(request), mobilisation=mobilisation, **data.validated_data)
        return Response(s.MobilisationOutSerializer(self.get_queryset().get(pk=mobilisation.pk)).data)
