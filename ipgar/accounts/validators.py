from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with the message in Dutch: Django 5.2 changed this message's text and its
    Dutch catalogue still translates the old one, so the form showed it in English."""

    def get_error_message(self) -> str:
        return f"Dit wachtwoord is te kort. De minimale lengte is {self.min_length} tekens."
