"""Page-number pagination whose ``page`` parameter is what the schema says: a positive integer, or absent.

DRF reads ``?page=`` (empty) or ``?page= 2`` as a page; the schema promises an integer. Anything else answers 404
« Page non valide. », like a page past the end.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

_PAGE = re.compile(r"[1-9][0-9]{0,8}")


class PageNumberPagination(pagination.PageNumberPagination):
    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        page = request.query_params.get(self.page_query_param)
        if page is not None and not _PAGE.fullmatch(page):
            raise NotFound(_("Page non valide."))
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 999_999_999}
        return parameters
