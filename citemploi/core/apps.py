from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _install_triggers(using: str = "default", **kwargs: Any) -> None:
    from citemploi.core.freshness import install_triggers

    install_triggers(connections[using])


class CoreConfig(AppConfig):
    name = "citemploi.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from citemploi.core import checks  # noqa: F401 — registers the system checks

        # after every migrate (a table remade by a migration loses its triggers on SQLite): see core/freshness.py
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="core_data_change_triggers")
