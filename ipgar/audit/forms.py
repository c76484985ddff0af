from django import forms

from ipgar.audit.constants import AccessAction


class AccessLogSearchForm(forms.Form):
    subject_ref = forms.CharField(
        label="Betrokkene",
        required=False,
        max_length=64,
        help_text="Bijvoorbeeld subject:12 of report-person:40 (staat op het dossier).",
    )
    username = forms.CharField(label="Gebruiker", required=False, max_length=150)
    date_from = forms.DateField(
        label="Vanaf",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="Tot en met",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    action = forms.ChoiceField(
        label="Handeling", required=False, choices=[("", "Alle handelingen"), *AccessAction.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "De einddatum ligt vóór de begindatum.")
        return data
