"""`citemploi accounts grant`: the operator's way to give the first roles (the first coordinator, the first admin)
from the server's shell. Later grants go through « Structures et comptes » (accounts.services.member_invite)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from citemploi.accounts.models import COORDINATION_STRUCTURE_KINDS, PERSONAL_DATA_ROLES, Role, Structure, User
from citemploi.accounts.services import membership_add, user_create
from citemploi.core.batch import GroupCommand


class Command(GroupCommand):
    help = "Comptes : attribution d'un rôle par l'exploitant (premier compte de coordination ou d'administration)."
    subcommands = {"grant": "Donne un rôle à une adresse e-mail dans une structure (crée le compte au besoin)."}

    def add_grant_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--structure", required=True, help="Nom exact de la structure.")
        parser.add_argument("--role", required=True, choices=Role.values)

    def handle_grant(self, *, dry_run: bool, email: str, structure: str, role: str, **options: Any) -> None:
        found = Structure.objects.filter(name=structure).first()
        if found is None:
            raise CommandError(f"Structure introuvable : « {structure} ».")
        if role in PERSONAL_DATA_ROLES and found.kind not in COORDINATION_STRUCTURE_KINDS:
            raise CommandError(f"Le rôle « {Role(role).label} » ne s'attribue que dans la structure de coordination.")
        if dry_run:
            self.stdout.write(f"Simulation : {email} recevrait le rôle « {Role(role).label} » dans « {found} ».")
            return
        user = User.objects.filter(email__iexact=email.strip()).first() or user_create(
            email=email.strip().lower(), password=None
        )
        membership_add(user=user, structure=found, role=role)
        self.stdout.write(
            f"{user.email} a le rôle « {Role(role).label} » dans « {found} ». Mot de passe : « Mot de passe oublié »."
        )
