"""The typed content of a report, as a service receives it (from the form, the import or the prefill)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reception:
    qpv_code: str  # '' : outside the QPV or unknown
    sex: str  # 'F', 'M' or '' (not given)
    new: int
    returning: int


@dataclass(frozen=True)
class ReportChanges:
    receptions: tuple[Reception, ...] = ()
    orientations: tuple[tuple[str, int], ...] = ()  # (StructureKind, count)
    appointments: int = 0
    workshops: int = 0
    workshop_attendance: int = 0
    events: int = 0
    highlights: str = ""
    difficulties: str = ""

    @property
    def received_new(self) -> int:
        return sum(r.new for r in self.receptions)

    @property
    def received_returning(self) -> int:
        return sum(r.returning for r in self.receptions)
