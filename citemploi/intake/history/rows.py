"""Reading one row of a history sheet: each typed getter returns the value, or None for an empty cell (unknown),
and records a French error for an invalid cell (sheet, row, column) instead of raising."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure
from citemploi.intake import cells
from citemploi.intake.errors import RowError

T = TypeVar("T")


def fold(text: str) -> str:
    """Case, accents and surrounding spaces ignored (codes, labels, structure names)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def fmt(day: date) -> str:
    return f"{day:%d/%m/%Y}"


class Structures:
    """The structures a workbook may name, by SIRET or by name (one query for the whole workbook)."""

    def __init__(self) -> None:
        self.by_siret: dict[str, Structure] = {}
        self.by_name: dict[str, list[Structure]] = {}
        for structure in Structure.objects.order_by("pk"):
            if structure.siret:
                self.by_siret[structure.siret] = structure
            self.by_name.setdefault(fold(structure.name), []).append(structure)

    def find(self, value: str) -> Structure:
        """The structure named ``value``; ValueError (French message) when none or several match."""
        digits = value.replace(" ", "")
        if digits.isdigit() and len(digits) == 14:
            if digits in self.by_siret:
                return self.by_siret[digits]
            raise ValueError(_("Aucune structure enregistrée n'a le SIRET %(siret)s.") % {"siret": digits})
        found = self.by_name.get(fold(value), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(
                _("Plusieurs structures s'appellent « %(name)s » : indiquez son SIRET.") % {"name": value.strip()}
            )
        raise ValueError(
            _("Structure inconnue : « %(name)s » (nom ou SIRET d'une structure enregistrée).") % {"name": value.strip()}
        )

    def label(self, structure: Structure) -> str:
        """How the export names ``structure``: its name, or its SIRET when another structure has the same name."""
        if len(self.by_name.get(fold(structure.name), [])) > 1 and structure.siret:
            return structure.siret
        return structure.name


def code_key(text: str) -> str:
    """How a code cell is compared: ``fold`` with hyphens, underscores and apostrophes as spaces (« Aller-vers »,
    « aller_vers » and « aller vers » are the same code)."""
    return " ".join(re.sub(r"[-_'’]", " ", fold(text)).split())


def code_table(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Code or French label (case, accents, hyphens and underscores ignored) → code."""
    table = {code_key(label): code for code, label in pairs}
    table.update({code_key(code): code for code, _label in pairs})
    return table


class Row:
    """One data row of a sheet, read by column name; errors collected in ``errors``."""

    def __init__(self, sheet: str, number: int, values: Mapping[str, str], errors: list[RowError]) -> None:
        self.sheet, self.line, self.values, self.errors = sheet, number, values, errors
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(row=self.line, column=column, message=message, sheet=self.sheet))

    def raw(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def _parse(self, column: str, parser: Callable[[str], T | None]) -> T | None:
        try:
            return parser(self.values.get(column, ""))
        except (cells.CellError, ValueError) as problem:
            self.error(column, str(problem))
            return None

    def required(self, column: str, value: T | None) -> T | None:
        if value is None and not self.raw(column) and not self.failed_on(column):
            self.error(column, _("Cette colonne est obligatoire : la cellule est vide."))
        return value

    def failed_on(self, column: str) -> bool:
        return any(e.column == column and e.row == self.line and e.sheet == self.sheet for e in self.errors)

    def text(self, column: str, *, max_length: int = 255, required: bool = False) -> str:
        value = self._parse(column, lambda v: cells.parse_text(v, max_length=max_length))
        if required:
            self.required(column, value)
        return value or ""

    def day(self, column: str, *, required: bool = False) -> date | None:
        value = self._parse(column, cells.parse_date)
        if value is not None and value > timezone.localdate():
            self.error(column, _("Cette date (%(date)s) est dans le futur.") % {"date": fmt(value)})
            return None
        return self.required(column, value) if required else value

    def code(self, column: str, table: Mapping[str, str], *, required: bool = False) -> str:
        raw = self.raw(column)
        if not raw:
            if required:
                self.required(column, None)
            return ""
        code = table.get(code_key(raw))
        if code is None:
            known = ", ".join(sorted(set(table.values())))
            self.error(
                column,
                _("Code inconnu : « %(value)s » (codes possibles : %(known)s).") % {"value": raw, "known": known},
            )
            return ""
        return code

    def yes_no(self, column: str) -> bool | None:
        return self._parse(column, cells.parse_yes_no)

    def structure(self, column: str, structures: Structures, *, required: bool = False) -> Structure | None:
        raw = self.raw(column)
        if not raw:
            return self.required(column, None) if required else None
        try:
            return structures.find(raw)
        except ValueError as problem:
            self.error(column, str(problem))
            return None

    def real(self, column: str, *, low: float, high: float) -> float | None:
        raw = self.raw(column).replace(",", ".")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            self.error(
                column,
                _("Nombre attendu entre %(low)s et %(high)s : « %(value)s ».")
                % {"low": low, "high": high, "value": raw},
            )
            return None
        return value

    def decimal(self, column: str, *, high: Decimal) -> Decimal | None:
        raw = self.raw(column).replace(",", ".").replace(" ", "")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or not Decimal(0) < value <= high or value != value.quantize(Decimal("0.1")):
            self.error(column, _("Nombre d'heures attendu (par exemple 35 ou 17,5) : « %(value)s ».") % {"value": raw})
            return None
        return value
