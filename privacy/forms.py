import re

from django import forms
from django.utils import timezone

from cases.constants import EmergencyReasonKind
from intake.forms import DATE_WIDGET
from ipgar.lib.forms import ModelForm
from ipgar.lib.text import TEXT_MAX_LENGTH
from privacy.constants import WooGround, WooMode
from privacy.models import RetentionSettings

CASE_REFERENCE = re.compile(r"^\s*(?:C\d{4}-)?0*(\d{1,9})\s*$", re.IGNORECASE)


class EmergencyAccessForm(forms.Form):
    case_reference = forms.CharField(
        label="Casusnummer",
        max_length=20,
        help_text="Bijvoorbeeld C2026-00012.",
    )
    reason_kind = forms.ChoiceField(
        label="Soort noodsituatie",
        choices=[("", "Kies…"), *EmergencyReasonKind.choices],
        error_messages={"required": "Kies de soort noodsituatie."},
    )
    reason = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Waarom moet u deze casus nu inzien? Ten minste een volledige zin. De "
        "privacyfunctionaris en de regisseur krijgen de reden direct te zien. De toegang duurt "
        "3 uur en is alleen-lezen.",
        max_length=2000,
        error_messages={
            "required": "Geef een toelichting.",
            "max_length": "De toelichting is te lang (ten hoogste %(limit_value)d tekens).",
        },
    )

    def clean_reason(self) -> str:
        from privacy.services import emergency_reason_problem

        reason = self.cleaned_data["reason"].strip()
        problem = emergency_reason_problem(reason)
        if problem:
            raise forms.ValidationError(problem)
        return reason

    def clean_case_reference(self) -> int:
        match = CASE_REFERENCE.match(self.cleaned_data["case_reference"])
        if not match:
            raise forms.ValidationError("Vul een casusnummer in, zoals C2026-00012.")
        return int(match.group(1))


class RetentionSettingsForm(ModelForm):
    class Meta:
        model = RetentionSettings
        fields = ["case_years", "report_years"]


class SubjectSearchForm(forms.Form):
    zoek = forms.CharField(
        label="BSN of naam van de betrokkene", max_length=100, min_length=3, strip=True
    )


class AccessRequestForm(forms.Form):
    received_on = forms.DateField(label="Ontvangen op", widget=DATE_WIDGET)
    channel = forms.CharField(
        label="Hoe ontvangen", max_length=200, required=False, help_text="Brief, e-mail, balie."
    )
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("Een verzoek kan niet in de toekomst zijn ontvangen.")
        return received_on


class AccessRequestAnswerForm(forms.Form):
    answered_on = forms.DateField(label="Beantwoord op", widget=DATE_WIDGET)


class WooRedactionForm(forms.Form):
    mode = forms.ChoiceField(label="Lakken", choices=WooMode.choices)
    ground = forms.ChoiceField(label="Weigeringsgrond", choices=WooGround.choices)


class PersonHistoryForm(forms.Form):
    zoek = forms.CharField(
        label="Naam, BSN, geboortedatum of casusnummer",
        max_length=100,
        min_length=3,
        strip=True,
        help_text="Bijvoorbeeld Mohamed El Amrani, 123456782, 14-03-2004 of C2026-00268.",
        error_messages={
            "required": "Vul een naam, BSN, geboortedatum of casusnummer in.",
            "min_length": "Vul ten minste 3 tekens in.",
        },
    )
