from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "citemploi.intake"
    label = "intake"
    verbose_name = _("Imports de fichiers")

    def ready(self) -> None:
        from citemploi.core.audit import register
        from citemploi.intake.models import ColumnMapping, Import

        # Who imported, confirmed, undid (the history of the import row); the rows themselves are not audited
        # (their values are the file's, deleted with it).
        register(Import, personal=True, exclude=("updated_at", "processed_rows", "total_rows"))
        register(ColumnMapping, personal=False)
