from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ipgar.audit"
    label = "audit"
    verbose_name = "Toegangslog"
