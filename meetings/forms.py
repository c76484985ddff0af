from django import forms
from django.utils import timezone

from cases.constants import ClosureReason
from intake.constants import NotAdmittedReason
from intake.forms import DATE_WIDGET, DATETIME_WIDGET
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from ipgar.lib.locking import LockVersionField
from ipgar.lib.text import TEXT_MAX_LENGTH
from meetings.constants import AttendanceStatus, DecisionKind, ItemKind, ItemStatus


class ExtraMeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Aanvang", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"]
    )
    reason = forms.CharField(
        label="Reden (buiten de cyclus)",
        max_length=300,
        error_messages={"required": "Een vergadering buiten de cyclus vraagt om een reden."},
    )

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now():
            raise forms.ValidationError("Een nieuwe vergadering kan niet in het verleden liggen.")
        return starts_at


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Nieuwe aanvang",
        widget=DATETIME_WIDGET,
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
    )
    cancel = forms.BooleanField(label="Vergadering vervalt", required=False)
    reason = forms.CharField(label="Reden", max_length=300)

    def clean(self):
        data = super().clean()
        if not data.get("cancel") and not data.get("starts_at"):
            self.add_error(
                "starts_at", "Kies een nieuwe aanvang, of laat de vergadering vervallen."
            )
        return data


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort",
        choices=[
            (ItemKind.POLICY, ItemKind.POLICY.label),
            (ItemKind.CONSENT, ItemKind.CONSENT.label),
            (ItemKind.OPENING, ItemKind.OPENING.label),
            (ItemKind.AOB, ItemKind.AOB.label),
        ],
    )
    title = forms.CharField(label="Onderwerp", max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label="Eigenaar (organisatie)",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="Verplicht bij een beleidsonderwerp.",
    )
    is_closed_session = forms.BooleanField(label="Besloten deel", required=False)
    closed_attendees = forms.ModelMultipleChoiceField(
        label="Deelnemers besloten deel",
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["closed_attendees"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("kind") == ItemKind.POLICY and not data.get("owner_organisation"):
            self.add_error("owner_organisation", "Een beleidsonderwerp heeft een eigenaar.")
        if data.get("is_closed_session") and not data.get("closed_attendees"):
            self.add_error("closed_attendees", "Kies wie bij het besloten deel aanwezig is.")
        return data


class ItemMinutesForm(forms.Form):
    lock_version = LockVersionField()
    notes = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Aantekeningen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label="Status", choices=ItemStatus.choices)
    carry_note = forms.CharField(
        label="Toelichting bij doorschuiven", max_length=300, required=False
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="Soort besluit", choices=DecisionKind.choices)
    text = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Besluit",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Een besluit heeft een tekst."},
    )
    organisation = forms.ModelChoiceField(
        label="Organisatie (bij opname)",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    regisseur = forms.ModelChoiceField(
        label="Regisseur (bij opname)",
        required=False,
        queryset=User.objects.filter(groups__name=Role.REGISSEUR, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name"),
    )
    not_admitted_reason = forms.ChoiceField(
        label="Reden niet opnemen", choices=NotAdmittedReason.choices, required=False
    )
    closure_reason = forms.ChoiceField(
        label="Reden afsluiten", choices=ClosureReason.choices, required=False
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [(k, DecisionKind(k).label) for k in kinds]

    def clean(self):
        data = super().clean()
        if data.get("kind") == DecisionKind.ADMIT:
            if not data.get("organisation"):
                self.add_error("organisation", "Kies de organisatie met de beste kaarten.")
            if not data.get("regisseur"):
                self.add_error("regisseur", "Kies de regisseur.")
            elif (
                data.get("organisation")
                and data["regisseur"].organisation_id != data["organisation"].pk
            ):
                self.add_error("regisseur", "Deze regisseur werkt bij een andere organisatie.")
        return data


class AttendanceForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisatie", required=False, queryset=Organisation.objects.filter(is_active=True)
    )
    status = forms.ChoiceField(label="Aanwezigheid", choices=AttendanceStatus.choices)
    is_guest = forms.BooleanField(label="Ook aanwezig (gast)", required=False)


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=2, max_num=60)


class ActionForm(forms.Form):
    subject = forms.CharField(label="Onderwerp", max_length=200)
    action = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Actie", widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label="Eigenaar (persoon)",
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
    )
    owner_organisation = forms.ModelChoiceField(
        label="Of: eigenaar (organisatie)",
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
    )
    due_on = forms.DateField(label="Uiterlijk", required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not data.get("owner_organisation"):
            self.add_error("owner", "Wie is eigenaar van de actie: een persoon of organisatie?")
        return data


class ForwardItemForm(forms.Form):
    title = forms.CharField(label="Onderwerp", max_length=300)
    planned_on = forms.DateField(label="Datum", required=False, widget=DATE_WIDGET)
    period = forms.CharField(label="Of: periode", max_length=100, required=False)
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("planned_on") and not data.get("period"):
            self.add_error("planned_on", "Geef een datum of een periode.")
        return data
