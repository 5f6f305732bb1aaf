"""What a history workbook says, typed and checked: the plan ``analyse`` builds and ``apply`` writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from citemploi.accounts.models import Structure, User
from citemploi.intake.errors import RowError
from citemploi.pathways.services.inputs import PersonFields
from citemploi.schemes.models import Scheme


@dataclass
class PersonRow:
    row: int
    ref: str
    fields: PersonFields
    structure: Structure
    spotted_on: date
    channel: str
    lon: float | None = None
    lat: float | None = None
    #: The QPV at entry the workbook gives: a QPV code, ``hors_qpv``, or "" (computed from the address).
    qpv_entry: str = ""
    #: The current single referent and the day they were named (both or neither).
    referent: User | None = None
    referent_on: date | None = None
    #: A state set by hand last (« perdu de vue », « refus »), its day and reason; "" when the state follows the events.
    manual_state: str = ""
    manual_on: date | None = None
    manual_reason: str = ""


@dataclass
class ContactRow:
    row: int
    ref: str
    on: date
    kind: str
    initiated: bool | None
    #: The moment, when the cell gives a time (« 12/03/2024 14:30 »); else the day's noon.
    at: datetime | None = None


@dataclass
class HandoffRow:
    row: int
    ref: str
    from_structure: Structure | None
    to_structure: Structure
    sent_on: date
    acknowledged_on: date | None = None
    first_meeting_on: date | None = None
    refused_on: date | None = None
    refusal_reason: str = ""
    expired_on: date | None = None

    @property
    def closed_on(self) -> date | None:
        """The day it stopped being live (refused or expired), None while live."""
        return self.refused_on or self.expired_on


@dataclass
class MobilisationRow:
    row: int
    ref: str
    scheme: Scheme
    structure: Structure | None
    proposed_on: date
    entered_on: date | None = None
    ended_on: date | None = None
    outcome: str = ""


@dataclass
class FreinRow:
    row: int
    ref: str
    theme: str
    identified_on: date
    closed_on: date | None = None
    not_liftable: bool | None = None


@dataclass
class ExitRow:
    row: int
    ref: str
    exited_on: date
    situation: str
    contract_start_on: date | None = None
    contract_end_on: date | None = None
    weekly_hours: Decimal | None = None


@dataclass
class PersonPlan:
    """One person of the workbook and every event of their history."""

    person: PersonRow
    contacts: list[ContactRow] = field(default_factory=list)
    handoffs: list[HandoffRow] = field(default_factory=list)
    mobilisations: list[MobilisationRow] = field(default_factory=list)
    freins: list[FreinRow] = field(default_factory=list)
    exits: list[ExitRow] = field(default_factory=list)

    def rows(self) -> list[tuple[str, int]]:
        """(sheet, row) of every row of this person."""
        return [
            ("personnes", self.person.row),
            *(("contacts", r.row) for r in self.contacts),
            *(("orientations", r.row) for r in self.handoffs),
            *(("mobilisations", r.row) for r in self.mobilisations),
            *(("freins", r.row) for r in self.freins),
            *(("sorties", r.row) for r in self.exits),
        ]


@dataclass
class HistoryPlan:
    """The result of ``analyse``: the people to write (only those whose every row is valid), every error (sheet,
    row, column, French reason) and the counts. Nothing is written until ``apply``."""

    people: list[PersonPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
