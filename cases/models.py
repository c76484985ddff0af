from django.db import models
from simple_history.models import HistoricalRecords

from cases.constants import InterventionCategory, SpecialIntervention
from ipgar.accounts.models import Organisation


class CatalogueEntry(models.Model):
    """An intervention in the catalogue (interventiepallet), reviewed yearly. A retired entry
    stays on the plans that used it."""

    name = models.CharField("naam", max_length=200, unique=True)
    description = models.TextField("omschrijving")
    category = models.CharField("categorie", max_length=20, choices=InterventionCategory.choices)
    provider = models.ForeignKey(
        Organisation,
        verbose_name="uitvoerende organisatie",
        on_delete=models.PROTECT,
        related_name="catalogue_entries",
    )
    special = models.CharField(
        "bijzondere interventie",
        max_length=20,
        choices=SpecialIntervention.choices,
        blank=True,
        default=SpecialIntervention.NONE,
    )
    review_date = models.DateField("jaarlijkse herbeoordeling")
    is_active = models.BooleanField("in gebruik", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "name"]
        verbose_name = "interventie uit het interventiepallet"
        verbose_name_plural = "interventiepallet"

    def __str__(self) -> str:
        return self.name
