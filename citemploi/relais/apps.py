from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelaisConfig(AppConfig):
    name = "citemploi.relais"
    label = "relais"
    verbose_name = _("Réseau des relais emploi")

    def ready(self) -> None:
        from citemploi.core import audit
        from citemploi.relais import models

        # Aggregated counts and the relais' own free text about its month: no person's record.
        for model in (models.ActivityReport, models.ReceptionLine, models.OrientationLine):
            audit.register(model, personal=False)
