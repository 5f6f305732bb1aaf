from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.core.services import access_log_purge


class Command(GroupCommand):
    help = "Journal d'audit."
    subcommands = {"purge": "Supprime les entrées du journal des accès plus anciennes que le délai de conservation."}

    def handle_purge(self, *, dry_run: bool, **options: Any) -> None:
        count = access_log_purge(dry_run=dry_run)
        verb = "seraient supprimées" if dry_run else "supprimées"
        self.stdout.write(f"{count} entrée(s) du journal des accès {verb}.")
