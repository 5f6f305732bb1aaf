"""Pathways API (v1): people, hand-offs, contacts, scheme mobilisations. Same visibility as the screens: every
queryset is scoped to the requesting user, someone else's record answers 404, outside reads are access-logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from citemploi.accounts.models import Structure, User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import Conflict, ValidationFailed
from citemploi.core.models import AccessLog
from citemploi.pathways import services
from citemploi.pathways.models import Contact, Handoff, Mobilisation, Person
from citemploi.pathways.permissions import (
    Level,
    Sight,
    can_add_contact,
    can_answer_handoff,
    can_edit_person,
    can_move_mobilisation,
    can_register_person,
    sight_of,
)
from citemploi.pathways.selectors import visible_person
from citemploi.pathways.states import InvalidTransition
from citemploi.schemes.models import Scheme

from . import pathways_serializers as s


def _user(request: Request) -> User:
    """The caller's account: every route needs an authenticated user (DEFAULT_PERMISSION_CLASSES)."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


def _log_outside(request: Request, people: list[Person], sights: dict[int, Sight]) -> None:
    """One access-log row per record read from outside its referent's structure, in one query."""
    user = _user(request)
    rows = [
        AccessLog(user=user, structure=user.primary_structure, record_type="pathways.person", record_id=str(p.public_id),
                  record_label=str(p)[:200], reason="API", path=request.path[:500])
        for p in people if sights[p.pk].outside
    ]  # fmt: skip
    AccessLog.objects.bulk_create(rows)


class _Merged(APIException):
    """A record absorbed by a merge, named with the kept record (which the caller may see)."""

    def __init__(self, error: services.PersonMerged, code: int) -> None:
        self.status_code = code
        into = error.into.public_id
        url = reverse("api:person-detail", args=[into])
        super().__init__({"detail": error.message, "merged_into": str(into), "url": url})


def _merged_answer(error: services.PersonMerged, code: int) -> Response:
    return Response(_Merged(error, code).detail, status=code)


def _person(request: Request, public_id: Any, *, edit: bool = False, merged_status: int | None = None) -> Person:
    """The visible person (else 404). With ``merged_status``, an identifier absorbed by a merge answers that status
    with the kept record (when the caller may see it)."""
    person = visible_person(request.user).filter(public_id=public_id).first()
    if person is None:
        into = services.person_merged_into(viewer=_user(request), public_id=public_id) if merged_status else None
        if into is None or merged_status is None:
            raise Http404
        raise _Merged(services.PersonMerged(into=into, into_visible=True), merged_status)
    sight = sight_of(request.user, person)
    if sight.level == Level.NONE:
        raise Http404
    if edit and not can_edit_person(request.user, sight):
        raise PermissionDenied(_("Seule la structure référente peut modifier cette fiche."))
    return person


def _invalid(error: ValidationFailed) -> ValidationError:
    """A refused input, under the name of the field at fault (``detail`` when none)."""
    return ValidationError({error.field or "detail": [error.message]})


def _transition(call: Callable[[], object]) -> Response | None:
    try:
        call()
    except ValidationFailed as error:
        raise _invalid(error) from None
    except InvalidTransition as error:
        return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
    return None


class PersonViewSet(viewsets.GenericViewSet[Person]):
    lookup_field = "public_id"
    serializer_class = s.PersonOutSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return visible_person(self.request.user).order_by("last_name", "first_name", "id")

    def _render(self, people: list[Person]) -> list[dict[str, Any]]:
        sights = {p.pk: sight_of(self.request.user, p) for p in people}
        _log_outside(self.request, people, sights)
        return s.PersonOutSerializer(people, many=True, context={"sights": sights}).data  # type: ignore[return-value]

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._render(list(page or [])))

    def retrieve(self, request: Request, public_id: Any = None) -> Response:
        person = _person(request, public_id, merged_status=status.HTTP_404_NOT_FOUND)
        return Response(self._render([person])[0], headers={"ETag": _etag(person)})

    @extend_schema(request=s.PersonInSerializer, responses=s.PersonOutSerializer)
    def create(self, request: Request) -> Response:
        user = _user(request)
        structure = user.primary_structure
        if not can_register_person(user) or structure is None:
            raise PermissionDenied(_("Votre rôle ne permet pas d'enregistrer une personne."))
        data = s.PersonInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            person = services.person_register(
                by=user,
                structure=structure,
                channel=values.pop("channel"),
                spotted_on=values.pop("spotted_on"),
                place=values.pop("place", ""),
                fields=services.PersonFields(**values),
            )
        except ValidationFailed as error:
            raise _invalid(error) from None
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
        except ValidationFailed as error:
            raise _invalid(error) from None
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


def _handoffs_for(user: User) -> QuerySet[Handoff]:
    handoffs = Handoff.objects.select_related("person", "from_structure", "to_structure").order_by("-sent_at", "-id")
    if is_coordinator(user):
        return handoffs
    ids = list(user.structure_ids)
    visible = Person.objects.visible_to(user).values("pk")
    return handoffs.filter(person__in=visible).filter(
        Q(person__pathway__structure_id__in=ids) | Q(to_structure_id__in=ids)
    )


class HandoffViewSet(viewsets.GenericViewSet[Handoff]):
    lookup_field = "public_id"
    serializer_class = s.HandoffOutSerializer

    def get_queryset(self) -> QuerySet[Handoff]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Handoff.objects.none()
        return _handoffs_for(_user(self.request))

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
        try:
            handoff = services.handoff_send(by=_user(request), person=person, to_structure=to_structure, reason=values["reason"],
                                            shared=values["shared"], mobilisation=mobilisation)  # fmt: skip
        except InvalidTransition as error:
            raise ValidationError({"detail": error.message}) from None
        except Conflict as error:  # a live hand-off to this structure already exists
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        return Response(s.HandoffOutSerializer(handoff).data, status=status.HTTP_201_CREATED)

    def _answer(self, request: Request, call: Callable[[Handoff], object]) -> Response:
        handoff = self.get_object()
        if not can_answer_handoff(request.user, handoff):
            raise PermissionDenied(_("Seule la structure destinataire peut répondre à cette orientation."))
        refused = _transition(lambda: call(handoff))
        return refused or Response(s.HandoffOutSerializer(Handoff.objects.get(pk=handoff.pk)).data)

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
        visible = Person.objects.visible_to(self.request.user).values("pk")
        return (
            Contact.objects.filter(person__in=visible)
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
        try:
            contact = services.contact_record(by=_user(request), person=person, **values)
        except ValidationFailed as error:
            raise _invalid(error) from None
        return Response(
            s.ContactOutSerializer(contact, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class MobilisationViewSet(viewsets.GenericViewSet[Mobilisation]):
    lookup_field = "public_id"
    serializer_class = s.MobilisationOutSerializer

    def get_queryset(self) -> QuerySet[Mobilisation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Mobilisation.objects.none()
        user = _user(self.request)
        mobilisations = Mobilisation.objects.select_related("person", "scheme", "structure").order_by(
            "-proposed_on", "-id"
        )
        if is_coordinator(user):
            return mobilisations
        ids = list(user.structure_ids)
        visible = Person.objects.visible_to(user).values("pk")
        return mobilisations.filter(person__in=visible).filter(
            Q(person__pathway__structure_id__in=ids) | Q(structure_id__in=ids)
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
        try:
            mobilisation = services.mobilisation_propose(
                by=_user(request), person=person, scheme=scheme, structure=structure
            )
        except ValidationFailed as error:
            raise _invalid(error) from None
        except InvalidTransition as error:
            raise ValidationError({"detail": error.message}) from None
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
        refused = _transition(
            lambda: services.mobilisation_transition(
                by=_user(request), mobilisation=mobilisation, **data.validated_data
            )
        )
        return refused or Response(s.MobilisationOutSerializer(Mobilisation.objects.get(pk=mobilisation.pk)).data)
