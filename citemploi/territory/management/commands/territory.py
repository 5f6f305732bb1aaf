from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.territory.services import territory_load


class Command(GroupCommand):
    help = "Données de référence du territoire."
    subcommands = {"load": "Charge les communes de la Loire et la liste des QPV 2024 (idempotent)."}

    def handle_load(self, *, dry_run: bool, **options: Any) -> None:
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return
        report = territory_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Territoire chargé : {report.communes} communes dont {report.communes_in_territory} dans le "
                f"territoire, {report.qpvs} QPV dont {report.qpvs_in_territory} dans le territoire."
            )
        )
