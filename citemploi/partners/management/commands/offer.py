"""`citemploi offer export|import|remind-stale`: interoperability with data·inclusion and census reminders."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.partners.interop import ImportFileError, export_to, import_file
from citemploi.partners.reminders import remind_stale


class Command(GroupCommand):
    help = "Recensement de l'offre : échanges data·inclusion et relances."
    subcommands = {
        "export": "Écrit structures.json et services.json au format data·inclusion dans OUTDIR.",
        "import": "Importe un fichier data·inclusion (par exemple un export DORA), de façon idempotente.",
        "remind-stale": "Envoie un courriel aux structures dont les fiches ne sont plus à jour (mensuel).",
    }

    def add_export_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--format", default="data-inclusion", choices=["data-inclusion"], help="Format d'export.")
        parser.add_argument("outdir", type=Path, help="Dossier de destination.")

    def add_import_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="Fichier JSON data·inclusion.")

    def handle_export(self, *, outdir: Path, dry_run: bool, **options: Any) -> None:
        if dry_run:
            self.stdout.write(f"Simulation : rien n'est écrit dans {outdir}.")
            return
        report = export_to(outdir)
        for line in report.skipped:
            self.stderr.write(f"ignoré : {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Export : {report.structures} structures, {report.services} services → {outdir}")
        )

    def handle_import(self, *, file: Path, dry_run: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            report = import_file(file, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for row in report.rows:
            reason = f" — {row.reason}" if row.reason else ""
            self.stdout.write(f"{row.kind} n° {row.row} [{row.id or '?'}] : {row.outcome}{reason}")
        summary = ", ".join(f"{report.count(o)} {o}" for o in ("créé", "mis à jour", "inchangé", "rejeté"))
        prefix = "Simulation (rien n'est écrit) — " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}Import terminé : {summary}."))

    def handle_remind_stale(self, *, dry_run: bool, **options: Any) -> None:
        sent = remind_stale(dry_run=dry_run)
        for structure, recipients in sent:
            self.stdout.write(f"{structure} → {', '.join(recipients) or 'aucun destinataire'}")
        verb = "seraient relancées" if dry_run else "relancées"
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} structures {verb}."))
