from django.db import models


class AccessAction(models.TextChoices):
    VIEW = "view", "Bekeken"
    LIST = "list", "Lijst bekeken"
    SEARCH = "search", "Gezocht"
    EXPORT = "export", "Geëxporteerd"
    PRINT = "print", "Afgedrukt"
    DOWNLOAD = "download", "Gedownload"
    LETTER = "letter", "Brief aangemaakt"


# Where a break-the-glass grant is remembered in the session: a list of
# {"grant": id, "subject_ref": "subject:12", "case": "C2024-00012", "case_id": 12,
#  "expires": ISO timestamp}. The privacy app writes it; access_log_record() reads it to mark
# every line about that subject as emergency access; the banner reads it too.
EMERGENCY_SESSION_KEY = "noodtoegang"
EMERGENCY_PREFIX = "NOODTOEGANG"
