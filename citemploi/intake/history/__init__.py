"""History takeover (« reprise de l'historique », issue 12 §4b): the coordinator's tracking workbook — people,
contacts, hand-offs, scheme mobilisations, freins and exits — replayed through the pathways services with the
events' real dates (docs/intake.md, « Reprise de l'historique »).

- ``analyse(sheets, by=...)`` types and checks every row, writes nothing; the plan carries the errors and counts.
- ``apply(plan, by=..., source=...)`` writes it inside the caller's transaction and returns what it created.
- ``template_workbook()`` and ``export_workbook(people)`` give the workbook as an XLSX file.
"""

from citemploi.intake.history.analysis import analyse
from citemploi.intake.history.columns import SHEETS
from citemploi.intake.history.plan import HistoryPlan
from citemploi.intake.history.workbook import export_workbook, template_workbook
from citemploi.intake.history.writing import apply

__all__ = ["SHEETS", "HistoryPlan", "analyse", "apply", "export_workbook", "template_workbook"]
