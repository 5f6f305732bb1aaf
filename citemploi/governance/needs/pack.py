"""The « Besoins non couverts » section of the COPIL pack (governance/pack.py): the open needs (not « couvert »
nor « abandonné »), most signalled first, frozen with the pack's figures (raw for the coordinator, masked for the
steering audience), never a name. A pack frozen before this section existed shows the register as it is now."""

from __future__ import annotations

from typing import Any

from citemploi.core import secrecy
from citemploi.governance.needs.selectors import COVERAGE_LABELS, register_rows
from citemploi.governance.needs.states import OPEN_NEED_STATES

#: At most this many needs in the pack (the register has the others).
PACK_NEEDS = 30


def _lines(*, masked: bool) -> list[dict[str, Any]]:
    rows = [r for r in register_rows(masked=masked) if r.need.state in OPEN_NEED_STATES]
    rows.sort(key=lambda r: (-(r.total if r.total is not None else 0), r.thematique_label, r.qpv_label))
    return [
        {
            "thematique": r.thematique_label,
            "public": r.public_label,
            "qpv": r.qpv_label,
            "state": str(r.need.get_state_display()),
            "coverage": str(COVERAGE_LABELS[r.coverage]),
            "signals": secrecy.display(r.total),
            "proposals": r.proposals,
        }
        for r in rows[:PACK_NEEDS]
    ]


def needs_frozen() -> dict[str, list[dict[str, Any]]]:
    """The section for both audiences, to freeze with the pack."""
    return {"coordinator": _lines(masked=False), "steering": _lines(masked=True)}


def needs_section(frozen: dict[str, Any], audience: str) -> list[dict[str, Any]]:
    """The section as the audience reads it: frozen with the pack, else (older pack) the register now."""
    stored = frozen.get("needs", {}).get(audience)
    return stored if stored is not None else _lines(masked=audience != "coordinator")
