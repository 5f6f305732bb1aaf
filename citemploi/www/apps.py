from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "citemploi.www"
    label = "www"
    verbose_name = "Interface web"
