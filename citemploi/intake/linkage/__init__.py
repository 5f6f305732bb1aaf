"""Record linkage without NIR (issue 12 §5): normalise, block, compare, score (Fellegi–Sunter), decide.

Used by every import and by person creation; docs/intake.md « Rapprochement des personnes ».
"""

from citemploi.intake.linkage.engine import Linker, decide, dedupe, link
from citemploi.intake.linkage.records import (
    Candidate,
    Decision,
    LinkRecord,
    Thresholds,
    person_to_record,
    resolve_thresholds,
)

__all__ = [
    "Candidate",
    "Decision",
    "LinkRecord",
    "Linker",
    "Thresholds",
    "decide",
    "dedupe",
    "link",
    "person_to_record",
    "resolve_thresholds",
]
