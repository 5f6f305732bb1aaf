"""The catalogue as a value object: schemes with their validity, and every dated parameter.

``Catalogue.at(on)`` gives the ``Snapshot`` of the parameters in force on a date (cached per date), which is what
the rules read. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SchemeInfo:
    code: str
    name: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """One dated value of a parameter: in force from ``valid_from`` to ``valid_to`` inclusive (open when None)."""

    scheme: str
    key: str
    value: Any
    valid_from: dt.date
    valid_to: dt.date | None = None

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class MissingParameterError(LookupError):
    """A rule needs a parameter that has no value on the reference date."""

    def __init__(self, scheme: str, key: str) -> None:
        super().__init__(f"{scheme}.{key}")
        self.scheme = scheme
        self.key = key


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The parameters in force on one date: ``values[scheme][key]`` and the rule version of each scheme
    (the latest ``valid_from`` among its parameters in force)."""

    on: dt.date
    values: dict[str, dict[str, Any]]
    versions: dict[str, dt.date]

    def get(self, scheme: str, key: str) -> Any:
        try:
            return self.values[scheme][key]
        except KeyError:
            raise MissingParameterError(scheme, key) from None

    def scheme_values(self, scheme: str) -> dict[str, Any]:
        return self.values.get(scheme, {})


@dataclass(frozen=True)
class Catalogue:
    """Schemes (in display order) and the whole history of their parameters."""

    schemes: tuple[SchemeInfo, ...]
    parameters: tuple[ParameterValue, ...]
    _cache: dict[dt.date, Snapshot] = field(default_factory=dict, compare=False, repr=False)
    #: Per-date work of the evaluator (what does not depend on the person), kept with the catalogue it came from.
    memo: dict[dt.date, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, schemes: Iterable[SchemeInfo], parameters: Iterable[ParameterValue]) -> Catalogue:
        return cls(schemes=tuple(schemes), parameters=tuple(parameters))

    def scheme(self, code: str) -> SchemeInfo | None:
        return next((s for s in self.schemes if s.code == code), None)

    def at(self, on: dt.date) -> Snapshot:
        """The parameters as they stood on ``on`` (computed once per date)."""
        snapshot = self._cache.get(on)
        if snapshot is None:
            snapshot = self._cache[on] = self._snapshot(on)
        return snapshot

    def _snapshot(self, on: dt.date) -> Snapshot:
        values: dict[str, dict[str, Any]] = {}
        versions: dict[str, dt.date] = {}
        for row in sorted(self.parameters, key=lambda p: p.valid_from):
            if row.in_force(on):
                values.setdefault(row.scheme, {})[row.key] = row.value
                versions[row.scheme] = max(row.valid_from, versions.get(row.scheme, row.valid_from))
        return Snapshot(on=on, values=values, versions=versions)
