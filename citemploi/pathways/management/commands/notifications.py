from typing import Any

from django.db.models import Count

from citemploi.core.batch import GroupCommand
from citemploi.pathways.models import PendingNotification
from citemploi.pathways.notifications import notifications_send_digest


class Command(GroupCommand):
    help = "Notifications par courriel."
    subcommands = {"digest": "Envoie le résumé quotidien aux utilisateurs qui l'ont choisi (à lancer chaque jour)."}

    def handle_digest(self, *, dry_run: bool, **options: Any) -> None:
        if dry_run:
            users = PendingNotification.objects.filter(sent_at__isnull=True).aggregate(n=Count("user", distinct=True))
            self.stdout.write(f"Simulation : {users['n']} résumé(s) seraient envoyés.")
            return
        sent = notifications_send_digest()
        self.stdout.write(self.style.SUCCESS(f"{sent} résumé(s) envoyé(s)."))
