from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.pathways.rome import rome_load


class Command(GroupCommand):
    help = "Référentiel ROME v4.60 des métiers."
    subcommands = {"load": "Charge les codes ROME et les appellations (idempotent)."}

    def handle_load(self, *, dry_run: bool, **options: Any) -> None:
        report = rome_load(dry_run=dry_run)
        prefix = "Simulation : " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}ROME : {report.codes} codes, {report.titles} appellations ; "
                f"{report.created} ajout(s), {report.updated} mise(s) à jour."
            )
        )
