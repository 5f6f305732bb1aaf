"""`citemploi relais remind [--date AAAA-MM-JJ]`: reminders about last month's missing activity reports."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from citemploi.core.batch import GroupCommand
from citemploi.relais.reminders import relais_remind


class Command(GroupCommand):
    help = "Réseau des relais emploi : relances des rapports d'activité mensuels."
    subcommands = {
        "remind": "Envoie les relances dues ce jour-là pour les rapports du mois précédent non soumis (idempotent).",
    }

    def add_remind_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--date", dest="on", default=None, help="Jour d'envoi (AAAA-MM-JJ), aujourd'hui par défaut."
        )

    def handle_remind(self, *, on: str | None, dry_run: bool, **options: Any) -> None:
        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Date illisible : {on!r} (attendu AAAA-MM-JJ).") from error
        result = relais_remind(on=day, dry_run=dry_run)
        month = f"{result.month:%m/%Y}"
        if result.rank == 0:
            self.stdout.write(f"Aucune relance due le {day:%d/%m/%Y} pour {month}. 0 relance envoyée.")
            return
        if dry_run:
            self.stdout.write(
                f"Simulation : {result.relais} relais seraient relancés pour {month} (relance {result.rank})."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.recipients} relance(s) envoyée(s) à {result.relais} relais pour {month} "
                f"(relance {result.rank})."
            )
        )
