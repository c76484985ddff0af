from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def second_factor_only_off_in_demo(app_configs, **kwargs):
    if not settings.OTP_REQUIRED and not settings.DEBUG:
        return [
            Error(
                "De tweede factor (OTP_REQUIRED) mag alleen in de lokale demo uit staan.",
                hint="Zet OTP_REQUIRED=true of gebruik DEBUG=true voor de lokale demo.",
                id="ipgar.E001",
            )
        ]
    return []
