from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "citemploi.territory"
    label = "territory"
    verbose_name = "Territoire"
