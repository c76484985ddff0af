from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ipgar.accounts"
    label = "accounts"
    verbose_name = "Gebruikers en organisaties"

    def ready(self) -> None:
        from ipgar.accounts import checks  # noqa: F401  (registers the system checks)
