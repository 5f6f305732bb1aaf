from typing import Any

from django.db import transaction

from citemploi.core.batch import GroupCommand
from citemploi.pathways.derivation import facts_of, planned_moves
from citemploi.pathways.models import Pathway
from citemploi.pathways.services.follow import pathway_follow


class Command(GroupCommand):
    help = "Parcours."
    subcommands = {
        "follow": "Fait avancer chaque parcours jusqu'à l'état que sa fiche atteint (règles de docs/pathways.md) ; "
        "à lancer une fois après la mise à jour qui a introduit ces règles. Idempotente."
    }

    def handle_follow(self, *, dry_run: bool, **options: Any) -> None:
        moved = 0
        for pathway in Pathway.objects.select_related("person").order_by("pk").iterator(chunk_size=500):
            if dry_run:
                moves = planned_moves(
                    pathway.state, facts_of(pathway.person_id), state_changed_at=pathway.state_changed_at
                )
            else:
                with transaction.atomic():
                    moves = pathway_follow(by=None, person=pathway.person)
            moved += bool(moves)
        verb = "avanceraient" if dry_run else "ont avancé"
        self.stdout.write(self.style.SUCCESS(f"{moved} parcours {verb}."))
