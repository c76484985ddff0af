from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy (AVG en Woo)"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from privacy.receivers import remember_running_grants

        user_logged_in.connect(remember_running_grants, dispatch_uid="privacy-emergency-login")
