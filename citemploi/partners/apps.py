from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "citemploi.partners"
    label = "partners"
    verbose_name = _("Recensement de l'offre (structures, services, actions)")

    def ready(self) -> None:
        from citemploi.core import audit
        from citemploi.partners import models

        for model in (
            models.StructureProfile,
            models.Service,
            models.Action,
            models.ActionFunder,
            models.ActionSession,
            models.Revision,
        ):
            audit.register(model, personal=False)
        # A registrant's name and contact details: the coordinator's history only.
        audit.register(models.Registration, personal=True)
