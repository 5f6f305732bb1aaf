from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "citemploi.territory"
    label = "territory"
    verbose_name = "Territoire"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from citemploi.territory.geocoding_local.index import forget_index
        from citemploi.territory.models import QPV, BanAddress

        auditlog.register(QPV, exclude_fields=["geometry"])
        # An address saved one by one (not by ``ban import``, which stamps a new version): rebuild the index.
        post_save.connect(forget_index, sender=BanAddress, dispatch_uid="ban-address-saved")
        post_delete.connect(forget_index, sender=BanAddress, dispatch_uid="ban-address-deleted")
