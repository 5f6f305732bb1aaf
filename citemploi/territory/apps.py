from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "citemploi.territory"
    label = "territory"
    verbose_name = "Territoire"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from citemploi.territory.models import QPV

        auditlog.register(QPV, exclude_fields=["geometry"])
