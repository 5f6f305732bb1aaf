# ruff: noqa: N999 — the command is spelt `citemploi api-token EMAIL` (the module name is the command name).
"""Print the API token of a user (created on first call) for a partner system: header `Authorization: Token <key>`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from citemploi.accounts.models import User


class Command(BaseCommand):
    help = "Affiche le jeton d'API d'un utilisateur (créé au premier appel). --renew en crée un nouveau."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="Adresse e-mail du compte.")
        parser.add_argument("--renew", action="store_true", help="Révoque l'ancien jeton et en crée un nouveau.")

    def handle(self, *args: Any, email: str, renew: bool, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"Aucun compte actif pour l'adresse {email}.")
        if renew:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
