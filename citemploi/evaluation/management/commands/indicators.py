"""``citemploi indicators compute`` — the contract of issue 13 §9: one JSON object, every indicator of the table,
unmasked (an operator's command), computed on the database in use."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.core.errors import ValidationFailed
from citemploi.evaluation.periods import Period, period_from
from citemploi.evaluation.registry import CONTRACT_IDS, Scope, compute_all
from citemploi.territory.models import QPV


def _period(start: str, end: str) -> Period:
    try:
        return period_from(start, end)
    except ValidationFailed as error:
        raise CommandError(str(error)) from None


class Command(GroupCommand):
    help = "Indicateurs de l'évaluation (définitions : docs/indicators.md)."
    subcommands = {
        "compute": "Calcule les indicateurs du tableau sur une période et les écrit en JSON (non masqués).",
        "snapshot": "Enregistre un instantané des indicateurs d'une période (figé, pour le comparer plus tard).",
        "docs": "Régénère docs/indicators.md depuis le registre.",
    }

    def _period_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--from", dest="start", required=True, metavar="AAAA-MM-JJ", help="Premier jour.")
        parser.add_argument("--to", dest="end", required=True, metavar="AAAA-MM-JJ", help="Dernier jour (inclus).")
        parser.add_argument("--qpv", default="", metavar="CODE", help="Seulement les personnes de ce QPV à l'entrée.")

    def add_compute_arguments(self, parser: ArgumentParser) -> None:
        self._period_arguments(parser)
        parser.add_argument("--format", default="json", choices=["json"], help="Format de sortie (json).")

    def add_snapshot_arguments(self, parser: ArgumentParser) -> None:
        self._period_arguments(parser)

    def _scope(self, qpv: str) -> Scope:
        if qpv and not QPV.objects.filter(code=qpv).exists():
            raise CommandError(f"QPV inconnu : {qpv}.")
        return Scope(qpv=qpv or None)

    def handle_compute(self, *, start: str, end: str, qpv: str, **options: Any) -> None:
        period = _period(start, end)
        results = compute_all(period, scope=self._scope(qpv), ids=CONTRACT_IDS)
        payload = {id: results[id].total.as_json() for id in CONTRACT_IDS}
        self.stdout.write(json.dumps(payload, ensure_ascii=False))

    def handle_snapshot(self, *, start: str, end: str, qpv: str, dry_run: bool, **options: Any) -> None:
        from citemploi.evaluation.snapshots import snapshot_take

        period = _period(start, end)
        scope = self._scope(qpv)
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return
        snapshot = snapshot_take(by=None, period=period, qpv=scope.qpv or "")
        self.stdout.write(f"Instantané enregistré : {snapshot.public_id} ({period.label()}).")

    def add_docs_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", default="docs/indicators.md", help="Fichier écrit (docs/indicators.md).")

    def handle_docs(self, *, output: str, dry_run: bool, **options: Any) -> None:
        from pathlib import Path

        from citemploi.evaluation.docs import render

        text = render()
        if dry_run:
            self.stdout.write(text)
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"{output} régénéré.")
