"""Routes of the pathways API. Token requests carry no session: the views opt out of LoginRequiredMiddleware,
and DRF's IsAuthenticated (default permission) guards them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBase
from django.urls import path
from rest_framework.viewsets import GenericViewSet

if TYPE_CHECKING:
    from rest_framework.decorators import ViewSetAction

    #: HTTP method → viewset method, as ``as_view`` takes it.
    Actions = dict[str, str | ViewSetAction[Any]]

from citemploi.api.pathways_views import ContactViewSet, HandoffViewSet, MobilisationViewSet, PersonViewSet


def _view(viewset: type[GenericViewSet[Any]], actions: Actions) -> Callable[..., HttpResponseBase]:
    return login_not_required(viewset.as_view(actions))


LIST: Actions = {"get": "list", "post": "create"}
urlpatterns = [
    path("v1/persons/", _view(PersonViewSet, LIST), name="person-list"),
    path(
        "v1/persons/<uuid:public_id>/",
        _view(PersonViewSet, {"get": "retrieve", "patch": "partial_update"}),
        name="person-detail",
    ),
    path("v1/handoffs/", _view(HandoffViewSet, LIST), name="handoff-list"),
    path(
        "v1/handoffs/<uuid:public_id>/acknowledge/",
        _view(HandoffViewSet, {"post": "acknowledge"}),
        name="handoff-acknowledge",
    ),
    path("v1/handoffs/<uuid:public_id>/refuse/", _view(HandoffViewSet, {"post": "refuse"}), name="handoff-refuse"),
    path(
        "v1/handoffs/<uuid:public_id>/first-meeting/",
        _view(HandoffViewSet, {"post": "first_meeting"}),
        name="handoff-first-meeting",
    ),
    path("v1/contacts/", _view(ContactViewSet, LIST), name="contact-list"),
    path("v1/mobilisations/", _view(MobilisationViewSet, LIST), name="mobilisation-list"),
    path(
        "v1/mobilisations/<uuid:public_id>/transition/",
        _view(MobilisationViewSet, {"post": "transition"}),
        name="mobilisation-transition",
    ),
]
