from django import forms
from django.utils import timezone

from intake.forms import DATE_WIDGET
from ipgar.lib.forms import ModelForm
from ipgar.lib.text import TEXT_MAX_LENGTH
from reminders.models import ReminderSettings


class PostponementForm(forms.Form):
    until = forms.DateField(
        label="Uitstellen tot",
        required=False,
        widget=DATE_WIDGET,
        help_text="Leeg laten om de termijn op te schorten tot nader order.",
    )
    reason = forms.CharField(
        label="Reden",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: veiligheid, of een lopend onderzoek.",
        error_messages={"required": "Uitstel vraagt om een reden."},
    )

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until and until <= timezone.localdate():
            raise forms.ValidationError("Kies een datum in de toekomst.")
        return until


class ReminderSettingsForm(ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["warn_days", "no_contact_weeks", "report_waiting_days", "escalation_days"]
