"""``citemploi governance pack`` — the COPIL pack for scheduled production and checks (issue 14 §5): the same PDF
as the meeting page's button; for a period without a meeting, the indicator, funnel, roadmap, decisions and needs
sections. ``--audience steering`` applies the masking a steering member gets."""

from __future__ import annotations

import uuid
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.core.errors import ValidationFailed
from citemploi.evaluation.periods import Period, period_from
from citemploi.governance.models import Meeting
from citemploi.governance.pack import AUDIENCES


def _meeting(value: str) -> Meeting:
    try:
        lookup = {"public_id": uuid.UUID(value)} if not value.isdigit() else {"pk": int(value)}
    except ValueError:
        raise CommandError(f"« {value} » n'est ni un numéro ni un identifiant de réunion.") from None
    meeting: Meeting | None = Meeting.objects.select_related("instance").filter(**lookup).first()
    if meeting is None:
        raise CommandError(f"Aucune réunion {value}.")
    return meeting


def _period(start: str | None, end: str | None) -> Period:
    try:
        return period_from(start, end)
    except ValidationFailed as error:
        raise CommandError(str(error)) from None


class Command(GroupCommand):
    help = "Pilotage : instances, réunions et dossier du COPIL (docs/governance.md)."
    subcommands = {"pack": "Écrit le dossier du COPIL (PDF) d'une réunion ou d'une période."}

    def add_pack_arguments(self, parser: ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--meeting", metavar="ID", help="Réunion (numéro ou identifiant public).")
        which.add_argument("--from", dest="start", metavar="AAAA-MM-JJ", help="Premier jour de la période.")
        parser.add_argument("--to", dest="end", metavar="AAAA-MM-JJ", help="Dernier jour de la période (inclus).")
        parser.add_argument("--audience", required=True, choices=AUDIENCES, help="coordinator ou steering (masqué).")
        parser.add_argument("--output", required=True, metavar="FICHIER.pdf", help="Fichier PDF écrit.")

    def handle_pack(
        self,
        *,
        meeting: str | None,
        start: str | None,
        end: str | None,
        audience: str,
        output: str,
        dry_run: bool,
        **options: Any,
    ) -> None:
        from citemploi.governance.pack_render import meeting_pack, pdf_bytes, period_pack

        if meeting is not None and end:
            raise CommandError("--to va avec --from, pas avec --meeting.")
        if meeting is None and not end:
            raise CommandError("Indiquez --to AAAA-MM-JJ avec --from.")
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return
        if meeting is not None:
            content = meeting_pack(by=None, meeting=_meeting(meeting), audience=audience)
        else:
            content = period_pack(by=None, period=_period(start, end), audience=audience)
        target = Path(output)
        target.write_bytes(pdf_bytes(content))
        self.stdout.write(f"Dossier écrit : {target} ({content.period.label()}, public : {audience}).")
