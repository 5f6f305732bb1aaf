"""The OpenAPI schema of the API: every operation documents its error answers with one error shape.

drf-spectacular documents only the success answer by default; a client (and schemathesis, in the test suite)
then meets 400, 401, 403 and 404 answers the contract never mentioned. ``AutoSchema`` below adds them to every
operation (400, 409 and 413 to writes: bad data, a record changed meanwhile, a body too large), unless a view documents its own.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from citemploi.core.validators import NO_NUL_PATTERN, TEXT_PATTERN

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class ErrorSerializer(serializers.Serializer[None]):
    """An error: one French message in ``detail``."""

    detail = serializers.CharField(help_text="Message d'erreur en français.")


VALIDATION_ERROR = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=(
        "Données refusées. Données mal formées : un objet dont chaque clé est un champ (ou ``non_field_errors``) "
        "et chaque valeur la liste des messages en français. Règle métier (une date avant l'événement qu'elle "
        'suit, un état qui l\'interdit…) : ``{"detail": message, "field": champ en cause (s\'il y en a un)}``.'
    ),
)
ERRORS = {
    "401": OpenApiResponse(ErrorSerializer, description="Non authentifié : jeton absent ou invalide."),
    "403": OpenApiResponse(ErrorSerializer, description="Action non permise à votre rôle sur cette fiche."),
    "404": OpenApiResponse(
        ErrorSerializer, description="Introuvable, ou pas visible par vous (ou page de liste inexistante)."
    ),
}
WRITE_ERRORS = {
    "400": VALIDATION_ERROR,
    "409": OpenApiResponse(ErrorSerializer, description="Conflit : la fiche a changé entre-temps."),
    "413": OpenApiResponse(ErrorSerializer, description="Corps de requête trop volumineux (refusé avant lecture)."),
}


class AutoSchema(BaseAutoSchema):
    def map_parsers(self) -> list[str]:
        # The API speaks JSON (form encodings are accepted for convenience but not part of the contract: a list
        # of one element cannot be told from a string there).
        return ["application/json"]

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(  # type: ignore[no-untyped-call]
            field, direction, bypass_extensions
        )
        if isinstance(field, serializers.SlugField) and "pattern" not in schema:
            schema["pattern"] = SLUG_PATTERN  # DRF checks it in code, not with a validator the schema would see
        # DRF refuses NUL characters, and trims text then refuses it when blank: say so in the schema, or a client
        # reading it sends "  " and is surprised by the 400.
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "enum" not in schema
            and not any(isinstance(v, RegexValidator) for v in field.validators)  # its own pattern wins
        ):
            schema["pattern"] = TEXT_PATTERN if not field.allow_blank and field.trim_whitespace else NO_NUL_PATTERN
        return schema

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {**ERRORS, **(WRITE_ERRORS if self.method in {"POST", "PUT", "PATCH", "DELETE"} else {})}
        for code, answer in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(answer, code, direction=direction)  # type: ignore[no-untyped-call]
        return responses


def optional_by_sight(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A person's contact, address, situation and sensitive fields are left out of the answer for a reader who may
    not see them (PersonOutSerializer): the schema must not call them required."""
    from citemploi.api.pathways_serializers import HIDDEN_BY_SIGHT

    component = result.get("components", {}).get("schemas", {}).get("PersonOut")
    if component and "required" in component:
        component["required"] = [name for name in component["required"] if name not in HIDDEN_BY_SIGHT]
        for name in HIDDEN_BY_SIGHT & set(component.get("properties", {})):
            component["properties"][name]["description"] = "Absent si vous n'avez pas accès à cette information."
    return result
