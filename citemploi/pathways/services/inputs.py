"""Typed inputs of the person services (no ``**fields: Any`` into a service, issue 9 item 21).

``PersonFields`` is what a registration says of the person; ``PersonChanges`` is an edit, where a field left
``UNSET`` is not touched (a PATCH names only what it changes). Both are frozen: a caller cannot change them once
built, and an unknown field name is refused when the object is built (``TypeError``), not silently stored.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date


class Unset(enum.Enum):
    """The marker of a field an edit does not touch (``None`` is a value: « no birth date »)."""

    UNSET = enum.auto()


UNSET = Unset.UNSET


@dataclass(frozen=True, kw_only=True)
class PersonFields:
    """What the registration form or the API says of the person. Names are the model's field names."""

    first_name: str
    last_name: str
    birth_date: date | None = None
    sex: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    education_level: str = ""
    # Facts the eligibility engine reads: None is « non renseigné » (unknown is never "no").
    ft_registered: bool | None = None
    ft_registered_since: date | None = None
    ft_category: str | None = None
    rsa: str | None = None
    ass: bool | None = None
    aah: bool | None = None
    single_parent: bool | None = None
    french_below_a1: bool | None = None
    student: bool | None = None
    in_training: bool | None = None
    housing: str | None = None
    former_cui: bool | None = None
    rqth: bool | None = None
    boe_title: str | None = None
    justice: bool | None = None
    ft_id: str = ""
    imilo_id: str = ""

    def items(self) -> Iterator[tuple[str, object]]:
        for item in dataclasses.fields(self):
            yield item.name, getattr(self, item.name)


@dataclass(frozen=True, kw_only=True)
class PersonChanges:
    """An edit of the person: the fields given are compared with the stored row; only those that differ are
    written. Same names as ``PersonFields``."""

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    birth_date: date | None | Unset = UNSET
    sex: str | Unset = UNSET
    email: str | Unset = UNSET
    phone: str | Unset = UNSET
    address: str | Unset = UNSET
    postcode: str | Unset = UNSET
    city: str | Unset = UNSET
    education_level: str | Unset = UNSET
    ft_registered: bool | None | Unset = UNSET
    ft_registered_since: date | None | Unset = UNSET
    ft_category: str | None | Unset = UNSET
    rsa: str | None | Unset = UNSET
    ass: bool | None | Unset = UNSET
    aah: bool | None | Unset = UNSET
    single_parent: bool | None | Unset = UNSET
    french_below_a1: bool | None | Unset = UNSET
    student: bool | None | Unset = UNSET
    in_training: bool | None | Unset = UNSET
    housing: str | None | Unset = UNSET
    former_cui: bool | None | Unset = UNSET
    rqth: bool | None | Unset = UNSET
    boe_title: str | None | Unset = UNSET
    justice: bool | None | Unset = UNSET
    ft_id: str | Unset = UNSET
    imilo_id: str | Unset = UNSET

    def items(self) -> Iterator[tuple[str, object]]:
        """The (name, value) pairs the edit gives, in the model's order."""
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if value is not UNSET:
                yield item.name, value
