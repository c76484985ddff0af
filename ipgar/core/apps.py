from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ipgar.core"
    label = "core"
    verbose_name = "Basis"
