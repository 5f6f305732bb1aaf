from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "citemploi.pathways"
    label = "pathways"
    verbose_name = _("Parcours")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from citemploi.pathways import models

        for model in (
            models.Person,
            models.Pathway,
            models.ReferentAssignment,
            models.InformationNotice,
            models.Consent,
            models.Reperage,
            models.Frein,
            models.Mobilisation,
            models.Handoff,
            models.Contact,
            models.Exit,
            models.FollowUp,
            models.RegistrationPeriod,
            models.Appointment,
            models.HandoffReply,
        ):
            auditlog.register(model, exclude_fields=["updated_at", "search_name"])
