from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ipgar.notifications"
    label = "notifications"
    verbose_name = "Meldingen aan gebruikers"
