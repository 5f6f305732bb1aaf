"""Navigation by role: one registry that feeds both the main menu and the home page.

Each area of the web layer appends its entries here; an entry is shown to the users its predicate accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.permissions import can_view_audit

StrOrPromise = str | Promise


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url_name: str
    description: StrOrPromise
    allowed: Callable[[object], bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if item.url_name not in {existing.url_name for existing in NAV_ITEMS}:
        NAV_ITEMS.append(item)
        NAV_ITEMS.sort(key=lambda i: (i.order, i.label))


def items_for(user: object) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.allowed(user)]


#: Counters shown next to a menu entry (e.g. the number of alerts), by URL name: one query each, per page.
COUNTERS: dict[str, Callable[[object], int]] = {}


def set_counter(url_name: str, counter: Callable[[object], int]) -> None:
    COUNTERS[url_name] = counter


def counts_for(user: object, items: list[NavItem]) -> dict[str, int]:
    """The counter of each entry of ``items`` that has one (only for entries the user may open)."""
    return {item.url_name: COUNTERS[item.url_name](user) for item in items if item.url_name in COUNTERS}


@dataclass(frozen=True)
class Todo:
    """One line of the to-dos of the home page: what, how many, where to act."""

    label: StrOrPromise
    count: int
    url: str


#: Providers of to-dos for the home page: each returns the user's to-dos of its area (empty when none apply).
TODO_PROVIDERS: list[Callable[[object], list[Todo]]] = []


def register_todos(provider: Callable[[object], list[Todo]]) -> None:
    if provider not in TODO_PROVIDERS:
        TODO_PROVIDERS.append(provider)


def todos_for(user: object) -> list[Todo]:
    return [todo for provider in TODO_PROVIDERS for todo in provider(user)]


register(
    NavItem(
        label=_("Journal d'audit"),
        url_name="audit:changes",
        description=_("Historique des modifications et journal des accès aux fiches des personnes, filtrables."),
        allowed=can_view_audit,
        order=900,
    )
)
