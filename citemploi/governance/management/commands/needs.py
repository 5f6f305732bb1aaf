"""``citemploi needs`` — the register of uncovered needs (docs/governance.md « Besoins non couverts »):

- ``sync``: bring the register up to pathways' aggregates (« aucune solution », freins « non levable »);
  idempotent — the background queue runs it after each signal, cron nightly catches up;
- ``export --audience coordinator|steering --format csv|xlsx OUTPUT``: the register, one row per need, masked for
  ``steering``, never a name.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.governance.needs import exports


class Command(GroupCommand):
    help = "Besoins non couverts : synchronisation depuis les parcours, export du registre (docs/governance.md)."
    subcommands = {
        "sync": "Met le registre à jour depuis les parcours (aucune solution, freins non levables) ; idempotent.",
        "export": "Écrit le registre (CSV ou XLSX), masqué pour --audience steering.",
    }

    def handle_sync(self, *, dry_run: bool, **options: Any) -> None:
        from citemploi.governance.needs.sync import needs_sync

        report = needs_sync(dry_run=dry_run)
        prefix = "Simulation : " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.needs_created} besoin(s) créé(s), {report.signals_created} signal(aux) ajouté(s), "
            f"{report.signals_updated} mis à jour."
        )

    def add_export_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--audience", required=True, choices=exports.AUDIENCES, help="coordinator ou steering.")
        parser.add_argument("--format", dest="fmt", required=True, choices=exports.FORMATS, help="csv ou xlsx.")
        parser.add_argument("output", metavar="FICHIER", help="Fichier écrit.")

    def handle_export(self, *, audience: str, fmt: str, output: str, dry_run: bool, **options: Any) -> None:
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"Le dossier {target.parent} n'existe pas.")
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return
        count = exports.write(target, audience=audience, fmt=fmt)
        self.stdout.write(f"Registre écrit : {target} ({count} besoin(s), public : {audience}).")
