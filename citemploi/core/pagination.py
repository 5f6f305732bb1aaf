"""Bounded pagination: a list page costs the same whatever the size of the table behind it (issue 16 §5).

Django's Paginator counts every row matching the filters (a full scan under the list, on every view) and lets
any page be asked for (an OFFSET that grows with it). ``BoundedPaginator`` counts at most ``cap`` rows (one
``COUNT`` over a ``LIMIT cap + 1`` subquery, which reads at most that many index entries) and offers the pages of
those ``cap`` rows only: past them the page says « plus de … : affinez la recherche » (``page.paginator.capped``).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

#: Rows a list counts and pages through at most (20 pages of 50).
LIST_CAP = 1000


class BoundedPaginator(Paginator):  # type: ignore[type-arg]
    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_CAP if cap is None else cap

    @cached_property
    def _bounded_count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):  # counting needs no order nor joined columns: the first cap + 1 ids
            rows = rows.order_by()
            rows = rows if rows.query.combinator else rows.values("pk")
            return int(rows[: self.cap + 1].count())
        return len(rows[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        """The number of rows, at most ``cap``."""
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than the list shows (``cap``)."""
        return self._bounded_count > self.cap
