from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.pathways.retention import retention_purge


class Command(GroupCommand):
    help = "Durées de conservation des données des personnes."
    subcommands = {
        "purge": "Anonymise les personnes sans contact depuis le délai de conservation et supprime les personnes "
        "repérées jamais accompagnées (à lancer chaque jour)."
    }

    def handle_purge(self, *, dry_run: bool, **options: Any) -> None:
        report = retention_purge(dry_run=dry_run)
        prefix = "Simulation : seraient " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.anonymised} personne(s) anonymisée(s), {report.deleted} personne(s) repérée(s) "
                "jamais accompagnée(s) supprimée(s)."
            )
        )
