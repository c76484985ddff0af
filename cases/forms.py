"""Validation only; every error in Dutch on the field it concerns."""

from django import forms
from django.utils import timezone

from cases.constants import (
    ContactKind,
    EvaluationConclusion,
    GoalResult,
    InterventionStatus,
    LinkKind,
    LogKind,
    ProposalKind,
)
from cases.models import (
    CatalogueEntry,
    Contact,
    DirectoryEntry,
    Goal,
    Intervention,
    Subject,
)
from cases.selectors import regisseur_choices
from intake.constants import ZRM_SCORES, LifeDomain
from intake.forms import DATE_WIDGET, DATETIME_WIDGET, PersonForm
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from ipgar.lib.forms import ModelForm
from ipgar.lib.locking import LockVersionField
from ipgar.lib.text import LOGBOOK_MAX_LENGTH, TEXT_MAX_LENGTH


class CatalogueEntryForm(ModelForm):
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
        widgets = {"review_date": DATE_WIDGET}


class LogEntryForm(forms.Form):
    at = forms.DateTimeField(
        label="Datum en tijd",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
    )
    kind = forms.ChoiceField(label="Soort", choices=LogKind.choices)
    text = forms.CharField(
        max_length=LOGBOOK_MAX_LENGTH,
        label="Verslag",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Schrijf wat er is gebeurd."},
    )
    participants = forms.CharField(label="Deelnemers", max_length=300, required=False)
    intervention = forms.ModelChoiceField(
        label="Bij interventie", required=False, queryset=Intervention.objects.none()
    )

    def __init__(self, *args, case=None, interventions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if interventions is not None:
            self.fields["intervention"].queryset = interventions
        elif case is not None:
            self.fields["intervention"].queryset = case.interventions.select_related(
                "catalogue_entry"
            )
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("kind", LogKind.FACE_TO_FACE)

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError("Een logboekregel kan niet in de toekomst liggen.")
        return at


class SubjectForm(ModelForm):
    lock_version = LockVersionField()

    class Meta:
        model = Subject
        fields = [
            "first_name",
            "last_name",
            "aliases",
            "date_of_birth",
            "bsn",
            "gender",
            "street",
            "postcode",
            "city",
            "institution_kind",
            "institution_name",
            "institution_address",
            "detained_from",
            "detained_until",
            "abroad",
            "abroad_since",
            "abroad_note",
        ]
        widgets = {
            name: DATE_WIDGET
            for name in ("date_of_birth", "detained_from", "detained_until", "abroad_since")
        }

    clean_bsn = PersonForm.clean_bsn
    clean_date_of_birth = PersonForm.clean_date_of_birth
    clean_postcode = PersonForm.clean_postcode

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lock_version", self.instance.lock_version)

    def clean(self):
        data = super().clean()
        start, end = data.get("detained_from"), data.get("detained_until")
        if start and end and end < start:
            self.add_error("detained_until", "Het einde van de detentie ligt vóór het begin.")
        if start and not (data.get("institution_kind") and data.get("institution_name")):
            self.add_error("institution_name", "Noem de inrichting (PI of JJI) en haar naam.")
        if data.get("abroad") and not data.get("abroad_since"):
            self.add_error("abroad_since", "Sinds wanneer verblijft de persoon in het buitenland?")
        return data


class GoalForm(ModelForm):
    class Meta:
        model = Goal
        fields = ["life_domain", "description", "is_active"]


class InterventionForm(ModelForm):
    class Meta:
        model = Intervention
        fields = [
            "catalogue_entry",
            "goal",
            "rationale",
            "aim",
            "owner_organisation",
            "owner",
            "planned_start",
            "planned_end",
            "status",
            "result",
        ]
        widgets = {
            "planned_start": DATE_WIDGET,
            "planned_end": DATE_WIDGET,
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "aim": forms.Textarea(attrs={"rows": 2}),
            "result": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"rationale": {"required": "Onderbouw waarom deze interventie past."}}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        entries = CatalogueEntry.objects.select_related("provider")
        if not self.instance.pk:
            entries = entries.filter(is_active=True)
        self.fields["catalogue_entry"].queryset = entries
        self.fields["goal"].queryset = case.goals.filter(is_active=True)
        self.fields["owner"].queryset = User.objects.filter(
            groups__name=Role.INTERVENTION_PARTNER, is_active=True
        ).select_related("organisation")
        self.fields["owner"].help_text = (
            "De interventiepartner die hier logt; ziet alleen "
            "deze interventie en naam en geboortedatum."
        )
        self.fields["status"].choices = InterventionStatus.choices

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "Het einde ligt vóór de start.")
        owner = data.get("owner")
        organisation = data.get("owner_organisation")
        if owner and organisation and owner.organisation_id != organisation.pk:
            self.add_error("owner", "Deze persoon werkt niet bij de gekozen uitvoerder.")
        return data


class ScenarioForm(forms.Form):
    lock_version = LockVersionField()
    scenario_short = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Scenario korte termijn",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scenario_long = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Scenario lange termijn",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactForm(ModelForm):
    class Meta:
        model = Contact
        fields = [
            "kind",
            "name",
            "relation",
            "organisation",
            "phone",
            "email",
            "address",
            "is_legal_representative",
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") in (ContactKind.PARENT, ContactKind.GUARDIAN) and not data.get(
            "address"
        ):
            self.add_error("address", "Een ouder of voogd krijgt brieven: vul het adres in.")
        return data


class PartnerMeetingForm(forms.Form):
    held_on = forms.DateField(label="Datum", widget=DATE_WIDGET, initial=timezone.localdate)
    participants = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Deelnemers",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Namen en organisaties.",
    )
    notes = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Verslag",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("Een UVO wordt vastgelegd nadat het is gehouden.")
        return held_on


class AgreementForm(forms.Form):
    what = forms.CharField(label="Afspraak", max_length=500, required=False)
    owner = forms.ModelChoiceField(
        label="Wie (gebruiker)",
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
    )
    owner_name = forms.CharField(label="Of: wie (naam)", max_length=200, required=False)
    due_on = forms.DateField(label="Uiterlijk", widget=DATE_WIDGET, required=False)

    def clean(self):
        data = super().clean()
        if data.get("what"):
            if not (data.get("owner") or data.get("owner_name")):
                self.add_error("owner_name", "Wie voert deze afspraak uit?")
            if not data.get("due_on"):
                self.add_error("due_on", "Wanneer moet de afspraak klaar zijn?")
        return data


AgreementFormSet = forms.formset_factory(AgreementForm, extra=3, max_num=20)


class EvaluationForm(forms.Form):
    held_on = forms.DateField(label="Datum", widget=DATE_WIDGET, initial=timezone.localdate)
    summary = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Samenvatting", widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.ChoiceField(
        label="Conclusie", choices=EvaluationConclusion.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, goals, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals, self.interventions = goals, interventions
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.description, choices=[("", "—"), *GoalResult.choices], required=False
            )
        for intervention in interventions:
            self.fields[f"intervention_{intervention.pk}"] = forms.CharField(
                max_length=TEXT_MAX_LENGTH,
                label=f"Resultaat: {intervention.catalogue_entry}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for domain, label in LifeDomain.choices:
            self.fields[f"score_{domain}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", "—"), *ZRM_SCORES],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("Een evaluatie kan niet in de toekomst liggen.")
        return held_on

    def goal_results(self):
        return {
            g.pk: (self.cleaned_data[f"goal_{g.pk}"], "")
            for g in self.goals
            if self.cleaned_data.get(f"goal_{g.pk}")
        }

    def intervention_results(self):
        return {
            i.pk: self.cleaned_data[f"intervention_{i.pk}"]
            for i in self.interventions
            if self.cleaned_data.get(f"intervention_{i.pk}")
        }

    def scores(self):
        return {
            d: (self.cleaned_data[f"score_{d}"], "")
            for d in LifeDomain.values
            if self.cleaned_data.get(f"score_{d}")
        }

    def goal_fields(self):
        return [self[f"goal_{g.pk}"] for g in self.goals]

    def intervention_fields(self):
        return [self[f"intervention_{i.pk}"] for i in self.interventions]

    def score_fields(self):
        return [self[f"score_{d}"] for d in LifeDomain.values]


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort voorstel", choices=ProposalKind.choices, widget=forms.RadioSelect
    )
    goals_met = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Welke doelen zijn behaald",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasoning = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Onderbouwing", widget=forms.Textarea(attrs={"rows": 4})
    )
    handover_organisation = forms.ModelChoiceField(
        label="Warme overdracht aan",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="De organisatie die de zorg na de aanpak voortzet.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProposalKind.CLOSURE and not data.get("handover_organisation"):
            self.add_error(
                "handover_organisation",
                "Bij afsluiting hoort een warme overdracht: kies de organisatie.",
            )
        return data


class ReassignForm(forms.Form):
    regisseur = forms.ModelChoiceField(
        label="Nieuwe regisseur",
        queryset=User.objects.filter(groups__name=Role.REGISSEUR, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admission's definition (issue 17, "choosing the regisseur"): per regisseur the
        # organisation, the caseload against the norm (fte × 15) and the open agenda items.
        labels = {pk: label for pk, label, _ in regisseur_choices()}
        self.fields["regisseur"].label_from_instance = lambda user: labels.get(user.pk, str(user))


class SubjectLinkForm(forms.Form):
    kind = forms.ChoiceField(label="Soort verband", choices=LinkKind.choices)
    other = forms.ModelChoiceField(label="Persoon", queryset=Subject.objects.none())
    note = forms.CharField(label="Toelichting", max_length=300, required=False)

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = subjects


class PartnerRegistrationForm(forms.Form):
    signed_on = forms.DateField(label="Ondertekend op", widget=DATE_WIDGET)
    signed_by = forms.CharField(label="Ondertekend door", max_length=200)
    scope = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Reikwijdte", widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_signed_on(self):
        signed = self.cleaned_data["signed_on"]
        if signed > timezone.localdate():
            raise forms.ValidationError("De ondertekening kan niet in de toekomst liggen.")
        return signed


class AdviceProcessingForm(forms.Form):
    """One answer per point of the ITAT-R's advice: what the regisseur did with it."""

    def __init__(self, *args, points: list[str], answered: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        previous = {row.get("point"): row.get("response", "") for row in answered or []}
        for index, point in enumerate(points):
            self.fields[f"punt_{index}"] = forms.CharField(
                label=f"Adviespunt {index + 1}: {point}",
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=previous.get(point, ""),
                error_messages={"required": "Geef aan wat met dit adviespunt is gedaan."},
            )

    def responses(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


class UvoPlanForm(forms.Form):
    starts_at = forms.DateTimeField(label="Datum en tijd", widget=DATETIME_WIDGET)
    location = forms.CharField(label="Plaats", max_length=200, required=False)
    users = forms.ModelMultipleChoiceField(
        label="Interventiepartners van deze casus",
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    invitees = forms.ModelMultipleChoiceField(
        label="Uit het adresboek",
        required=False,
        queryset=DirectoryEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = (
            User.objects.filter(interventions_owned__case=case, is_active=True)
            .select_related("organisation")
            .distinct()
            .order_by("last_name")
        )
        self.fields["users"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.organisation.name if u.organisation_id else '-'})"
        )
        self.fields["invitees"].queryset = DirectoryEntry.objects.filter(
            is_active=True
        ).select_related("organisation")

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError("Een UVO wordt in de toekomst gepland.")
        return starts_at

    def clean(self):
        data = super().clean()
        if not data.get("users") and not data.get("invitees"):
            self.add_error("invitees", "Nodig ten minste één partner uit.")
        return data


class UvoHoldForm(forms.Form):
    participants = forms.CharField(
        label="Aanwezig",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Namen en organisaties; leeg laten: de genodigden.",
        required=False,
    )
    notes = forms.CharField(
        label="Verslag",
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UvoCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reden",
        max_length=500,
        error_messages={"required": "Geef de reden waarom het UVO niet doorgaat."},
    )


class DirectoryEntryForm(ModelForm):
    class Meta:
        model = DirectoryEntry
        fields = ["name", "organisation", "district", "role", "phone", "email", "user", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name")
        self.fields["user"].required = False
