from django import forms

from cases.models import CatalogueEntry


class CatalogueEntryForm(forms.ModelForm):
    class Meta:
        model = CatalogueEntry
        fields = [
            "name",
            "description",
            "category",
            "provider",
            "special",
            "review_date",
            "is_active",
        ]
        widgets = {"review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
