from django.db import models


class AccessAction(models.TextChoices):
    VIEW = "view", "Bekeken"
    LIST = "list", "Lijst bekeken"
    SEARCH = "search", "Gezocht"
    EXPORT = "export", "Geëxporteerd"
    PRINT = "print", "Afgedrukt"
    DOWNLOAD = "download", "Gedownload"
    LETTER = "letter", "Brief aangemaakt"
