from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "citemploi.schemes"
    label = "schemes"
    verbose_name = "Dispositifs de droit commun"

    def ready(self) -> None:
        from citemploi.core import audit
        from citemploi.schemes import models

        audit.register(models.Scheme, personal=False)
        audit.register(models.SchemeParameter, personal=False)
        audit.register(models.VeilleEntry, personal=False, m2m_fields={"schemes"})
        audit.register(models.GoodPractice, personal=False)
        audit.register(models.GoodPracticeAttachment, personal=False)
        audit.register(models.VeilleFeedKey, personal=False)
