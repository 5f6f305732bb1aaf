from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "citemploi.accounts"
    label = "accounts"
    verbose_name = "Comptes et structures"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from citemploi.accounts.models import Membership, Structure, User

        auditlog.register(User, exclude_fields=["password", "last_login", "updated_at"])
        auditlog.register(Structure, exclude_fields=["updated_at"])
        auditlog.register(Membership, exclude_fields=["updated_at"])
