"""The linkage's types (INTAKE-INTERFACES.md): the record compared, a candidate, a decision, the thresholds."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

#: Defaults of INTAKE_LINK_UPPER / INTAKE_LINK_LOWER (set from bench/intake_linkage.py, docs/intake.md).
DEFAULT_UPPER = 0.97
DEFAULT_LOWER = 0.3


@dataclass(frozen=True)
class LinkRecord:
    id: str
    last_name: str = ""
    first_name: str = ""
    birth_date: date | None = None
    sex: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    commune: str = ""


@dataclass(frozen=True)
class Candidate:
    id: str
    score: float
    reasons: tuple[str, ...]  # in French, for the review screen


class Decision(enum.Enum):
    SAME = "same"  # above the upper threshold: the same person (linked)
    REVIEW = "review"  # between the thresholds: the review queue
    NEW = "new"  # below the lower threshold: a new person


class Thresholds(NamedTuple):
    upper: float
    lower: float


def resolve_thresholds(thresholds: Thresholds | tuple[float, float] | None = None) -> Thresholds:
    """The given thresholds, else the settings (INTAKE_LINK_UPPER/LOWER), else the defaults (no Django needed)."""
    if thresholds is not None:
        upper, lower = thresholds
        return Thresholds(float(upper), float(lower))
    upper, lower = DEFAULT_UPPER, DEFAULT_LOWER
    try:
        from django.conf import settings

        if settings.configured:
            upper = settings.INTAKE_LINK_UPPER
            lower = settings.INTAKE_LINK_LOWER
    except (ImportError, AttributeError):  # pure use (benchmark) or settings without the lines
        pass
    return Thresholds(upper, lower)


def person_to_record(person: Any) -> LinkRecord:
    """The linkage record of a ``pathways.Person`` (reads its fields only, no query)."""
    return LinkRecord(
        id=str(person.pk),
        last_name=person.last_name or "",
        first_name=person.first_name or "",
        birth_date=person.birth_date,
        sex=person.sex or "",
        email=person.email or "",
        phone=person.phone or "",
        address=person.address or "",
        postcode=person.postcode or "",
        commune=person.city or "",
    )
