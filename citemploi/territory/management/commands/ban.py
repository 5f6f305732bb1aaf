from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.territory.ban import BanFileError
from citemploi.territory.services import ban_addresses_import


class Command(GroupCommand):
    help = "Base Adresse Nationale locale (géocodage hors ligne)."
    subcommands = {"import": "Charge un fichier départemental de la BAN (adresses-42.csv.gz), idempotent."}

    def add_import_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="fichier adresses-XX.csv ou .csv.gz")

    def handle_import(self, *, path: Path, dry_run: bool, **options: Any) -> None:
        try:
            result = ban_addresses_import(path=path, dry_run=dry_run)
        except BanFileError as exc:
            raise CommandError(str(exc)) from exc
        verb = "seraient chargées" if dry_run else "chargées"
        self.stdout.write(
            f"{result.read} ligne(s) lue(s), {result.stored} adresse(s) {verb}, {result.skipped} ignorée(s)."
        )
