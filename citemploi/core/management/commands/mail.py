from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.core.mail import mails_due, mails_purge, mails_retry


class Command(GroupCommand):
    help = "Courriels sortants (file d'envoi avec nouvelles tentatives)."
    subcommands = {
        "retry": "Envoie maintenant les courriels en attente dont la prochaine tentative est due (cron).",
        "purge": "Supprime les courriels envoyés depuis plus de 30 jours.",
    }

    def handle_retry(self, *, dry_run: bool, **options: Any) -> None:
        if dry_run:
            self.stdout.write(f"{mails_due().count()} courriel(s) seraient tentés.")
            return
        sent, refused = mails_retry()
        self.stdout.write(f"{sent} courriel(s) envoyé(s), {refused} refusé(s) (nouvel essai plus tard).")

    def handle_purge(self, *, dry_run: bool, **options: Any) -> None:
        count = mails_purge(dry_run=dry_run)
        self.stdout.write(f"{count} courriel(s) envoyé(s) {'seraient supprimés' if dry_run else 'supprimés'}.")
