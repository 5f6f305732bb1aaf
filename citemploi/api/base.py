"""What every API view inherits: the audit actor is the authenticated caller (issue 9 item 5).

auditlog's middleware runs before DRF authenticates a token, so it records no actor for token requests; the
actor is set here, once DRF has authenticated the request, for the rest of the view.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from auditlog.context import set_actor
from auditlog.middleware import AuditlogMiddleware
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from citemploi.accounts.models import User


class AuditedView:
    """Mixin placed first in the bases of every API view (a test walks the API routes to check it)."""

    _audit_actor: AbstractContextManager[None] | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        user = request.user if isinstance(request.user, User) else None
        self._audit_actor = set_actor(user, remote_addr=AuditlogMiddleware._get_remote_addr(request._request))
        self._audit_actor.__enter__()

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        if self._audit_actor is not None:
            self._audit_actor.__exit__(None, None, None)
            self._audit_actor = None
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc,no-any-return]


class TextOnly:
    """Mixin placed first in the bases of every input serializer: a text field given a number is refused, as the
    schema says (DRF's ``CharField`` would turn ``0.01`` into ``"0.01"``)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            wrong = {
                name: [_("Un texte est attendu.")]
                for name, field in self.fields.items()  # type: ignore[attr-defined]
                if isinstance(field, serializers.CharField) and name in data and _not_text(data[name])
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)  # type: ignore[misc]


def _not_text(value: Any) -> bool:
    return value is not None and not isinstance(value, str)
