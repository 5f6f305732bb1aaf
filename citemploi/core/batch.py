"""Base for the product's batch commands: subcommands, logged start/end/duration, --dry-run (DESIGN.md §3.9).

A command such as ``citemploi territory load`` is one Django command (``territory``) with subcommands
(``load``). Each subcommand is a method ``handle_<name>`` declared in ``subcommands``.

Every write of a command is audited as the operator's (core.audit): the history's correlation id reads
« commande : territory load », and ``--by <e-mail>`` names the account the operator acts for.
"""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from auditlog.context import set_extra_data
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from citemploi.core.audit import COMMAND_CID_PREFIX

logger = logging.getLogger("citemploi.commands")


class GroupCommand(BaseCommand):
    """A command with subcommands. Subclasses fill ``subcommands = {"load": "help text"}``."""

    subcommands: dict[str, str] = {}

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{" + ",".join(self.subcommands) + "}")
        for name, help_text in self.subcommands.items():
            subparser = sub.add_parser(name, help=help_text, description=help_text)
            subparser.add_argument(
                "--dry-run", action="store_true", help="Montre ce qui serait fait, sans rien écrire."
            )
            subparser.add_argument(
                "--by", metavar="COURRIEL", default="", help="Compte au nom duquel la commande écrit (historique)."
            )
            getattr(self, f"add_{name.replace('-', '_')}_arguments", lambda p: None)(subparser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        handler: Callable[..., Any] = getattr(self, f"handle_{name.replace('-', '_')}")
        label = f"{self.__module__.rsplit('.', 1)[-1]} {name}"
        started = time.monotonic()
        logger.info("début : %s", label)
        try:
            with set_extra_data(context_data={"actor": self._actor(options.get("by") or ""), "cid": self._cid(label)}):
                handler(**options)
        except CommandError:
            logger.warning("échec : %s (%.1f s)", label, time.monotonic() - started)
            raise
        logger.info("fin : %s (%.1f s)", label, time.monotonic() - started)

    @staticmethod
    def _cid(label: str) -> str:
        return f"{COMMAND_CID_PREFIX}{label}"

    @staticmethod
    def _actor(email: str) -> Any:
        """The account named by ``--by`` (an error if unknown), else None: the operator's own write."""
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Aucun compte avec le courriel {email}.")
        return user
