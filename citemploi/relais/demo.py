"""Demo data (clearly fictitious): a year of monthly reports for the 12 demo relais — most validated, some
returned with a comment, some missing, last month partly submitted — so that every screen of the relais zone has
content. Idempotent: a month that already has a report is left as it is."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from citemploi.accounts.demo import RELAIS
from citemploi.accounts.models import Structure, StructureKind
from citemploi.relais.models import ActivityReport, OrientationLine, ReceptionLine, ReportSource, ReportState
from citemploi.relais.months import previous_month
from citemploi.territory.models import QPV

DESTINATIONS = (StructureKind.FRANCE_TRAVAIL, StructureKind.MISSION_LOCALE, StructureKind.PLIE, StructureKind.SIAE_ACI)
RETURN_COMMENT = "Démonstration : le nombre de participations aux ateliers semble élevé, merci de vérifier."
HIGHLIGHTS = "Démonstration : permanence commune avec la Mission Locale, forte fréquentation de l'atelier CV."
DIFFICULTIES = "Démonstration : salle indisponible deux semaines, ateliers reportés."


def _state(rng: random.Random, age: int) -> str | None:
    """None: no report (missing). ``age`` 1 is last month."""
    draw = rng.random()
    if age == 1:
        return None if draw < 0.4 else ReportState.SUBMITTED if draw < 0.8 else ReportState.DRAFT
    if draw < 0.08:
        return None
    return ReportState.RETURNED if draw < 0.16 else ReportState.VALIDATED


def _report(relais: Structure, month: date, state: str, rng: random.Random) -> ActivityReport:
    now = timezone.now()
    workshops = rng.randint(0, 6)
    submitted = state != ReportState.DRAFT
    return ActivityReport(
        relais=relais, month=month, state=state, source=ReportSource.DEMO,
        appointments=rng.randint(10, 60), workshops=workshops, workshop_attendance=workshops * rng.randint(3, 9),
        events=rng.randint(0, 2), highlights=HIGHLIGHTS if rng.random() < 0.5 else "",
        difficulties=DIFFICULTIES if rng.random() < 0.2 else "",
        submitted_at=now - timedelta(days=rng.randint(1, 20)) if submitted else None,
        reviewed_at=now if state in (ReportState.VALIDATED, ReportState.RETURNED) else None,
        return_comment=RETURN_COMMENT if state == ReportState.RETURNED else "",
    )  # fmt: skip


def _lines(report: ActivityReport, qpv: str, rng: random.Random) -> tuple[list[ReceptionLine], list[OrientationLine]]:
    receptions = [
        ReceptionLine(report=report, qpv_code=code, sex=sex, new=rng.randint(0, 12), returning=rng.randint(0, 20))
        for code in dict.fromkeys((qpv, ""))  # no territory loaded: one « hors QPV » line
        for sex in ("F", "M")
    ]
    orientations = [OrientationLine(report=report, destination=k, count=rng.randint(0, 6)) for k in DESTINATIONS]
    return receptions, [o for o in orientations if o.count]


@transaction.atomic
def load_demo(*, stdout: TextIO) -> None:
    codes = set(QPV.objects.values_list("code", flat=True))
    names = {f"Relais emploi {quarter}": qpv for quarter, qpv, *_rest in RELAIS}
    relais = {s.name: s for s in Structure.objects.filter(name__in=names, kind=StructureKind.RELAIS_EMPLOI)}
    months, current = [], previous_month(timezone.localdate())
    for _i in range(12):
        months.append(current)
        current = previous_month(current)
    existing = set(ActivityReport.objects.filter(relais__in=relais.values()).values_list("relais_id", "month"))
    reports, details = [], []
    for name, structure in sorted(relais.items()):
        for age, month in enumerate(months, start=1):
            rng = random.Random(f"{name}-{month}")  # the same demo on every machine and every run
            state = _state(rng, age)
            if state is None or (structure.pk, month) in existing:
                continue
            report = _report(structure, month, state, rng)
            reports.append(report)
            details.append((report, names[name] if names[name] in codes else ""))
    ActivityReport.objects.bulk_create(reports)
    receptions, orientations = [], []
    for report, qpv in details:
        found = _lines(report, qpv, random.Random(f"{report.relais_id}-{report.month}"))
        receptions += found[0]
        orientations += found[1]
    ReceptionLine.objects.bulk_create(receptions)
    OrientationLine.objects.bulk_create(orientations)
    stdout.write(f"Démo : relais — {len(reports)} rapports d'activité mensuels ajoutés ({len(relais)} relais).\n")
