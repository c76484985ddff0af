"""One way to send e-mail: a subject, text and HTML template triplet under templates/emails/."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_email(*, template: str, to: Sequence[str], context: dict | None = None) -> int:
    """Render emails/<template>_subject.txt, .txt and .html and send them as one message."""
    context = {"site_url": settings.SITE_URL, **(context or {})}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    subject = " ".join(subject.split())  # a subject is one line
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, list(to))
    message.attach_alternative(html, "text/html")
    return message.send()
