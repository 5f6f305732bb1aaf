"""Base for the product's batch commands: subcommands, logged start/end/duration, --dry-run (DESIGN.md §3.9).

A command such as ``citemploi territory load`` is one Django command (``territory``) with subcommands
(``load``). Each subcommand is a method ``handle_<name>`` declared in ``subcommands``.
"""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

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
            getattr(self, f"add_{name.replace('-', '_')}_arguments", lambda p: None)(subparser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        handler: Callable[..., Any] = getattr(self, f"handle_{name.replace('-', '_')}")
        label = f"{self.__module__.rsplit('.', 1)[-1]} {name}"
        started = time.monotonic()
        logger.info("début : %s", label)
        try:
            handler(**options)
        except CommandError:
            logger.warning("échec : %s (%.1f s)", label, time.monotonic() - started)
            raise
        logger.info("fin : %s (%.1f s)", label, time.monotonic() - started)
