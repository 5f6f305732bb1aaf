from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "citemploi.schemes"
    label = "schemes"
    verbose_name = "Dispositifs de droit commun"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from citemploi.schemes import models

        auditlog.register(models.Scheme, exclude_fields=["updated_at"])
        auditlog.register(models.SchemeParameter, exclude_fields=["updated_at"])
        auditlog.register(models.VeilleEntry, exclude_fields=["updated_at"], m2m_fields={"schemes"})
        auditlog.register(models.GoodPractice, exclude_fields=["updated_at"])
        auditlog.register(models.GoodPracticeAttachment, exclude_fields=["updated_at"])
        auditlog.register(models.VeilleFeedKey, exclude_fields=["updated_at"])
