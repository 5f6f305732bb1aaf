from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "citemploi.pathways"
    label = "pathways"
    verbose_name = _("Parcours")

    def ready(self) -> None:
        from citemploi.core import audit
        from citemploi.pathways import models

        # Sensitive facts and free texts never reach the history (core.audit masks every TextField too).
        masked: dict[type, list[str]] = {
            models.Person: ["rqth", "justice"],
            models.Reperage: ["place"],
            models.InformationNotice: ["objection_reason"],
        }

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
            models.PersonRegistration,
            models.Appointment,
            models.HandoffReply,
            models.UnmetOrientation,
        ):
            audit.register(model, personal=True, masked=masked.get(model, ()), exclude=["updated_at", "search_name"])
