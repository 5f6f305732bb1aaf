from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "citemploi.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from citemploi.core import checks  # noqa: F401 — registers the system checks
