from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "citemploi.partners"
    label = "partners"
    verbose_name = _("Recensement de l'offre (structures, services, actions)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from citemploi.partners import models

        for model in (
            models.StructureProfile,
            models.Service,
            models.Action,
            models.ActionFunder,
            models.ActionSession,
            models.Registration,
            models.Revision,
        ):
            auditlog.register(model, exclude_fields=["updated_at"])
