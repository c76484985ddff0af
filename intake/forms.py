"""Validation only: every rule here answers in Dutch on the field it concerns."""

import re
import uuid

from django import forms
from django.utils import timezone

from intake.constants import (
    ZRM_SCORES,
    AdviceKind,
    Channel,
    CheckResult,
    Gender,
    Ideology,
    LifeDomain,
    OtherApproach,
    QuestionKind,
    ReporterKind,
    RiskGroup,
    TriageOutcome,
    Urgency,
    ViolenceReadiness,
)
from intake.models import FrameworkQuestion, FrameworkVersion
from intake.services import PersonData
from ipgar.accounts.models import Organisation
from ipgar.lib.forms import ModelForm
from ipgar.lib.text import TEXT_MAX_LENGTH, bsn_is_valid

POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ReportForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    received_at = forms.DateTimeField(
        label="Ontvangen op",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M"],
    )
    channel = forms.ChoiceField(label="Kanaal", choices=Channel.choices)
    urgency = forms.ChoiceField(
        label="Urgentie",
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text="Urgent: direct zorg over veiligheid. Mag met een onvolledig kader door.",
    )
    reporter_kind = forms.ChoiceField(label="Soort melder", choices=ReporterKind.choices)
    reporter_anonymous = forms.BooleanField(label="De melder wil anoniem blijven", required=False)
    reporter_name = forms.CharField(label="Naam melder", max_length=200, required=False)
    reporter_organisation = forms.CharField(
        label="Organisatie melder", max_length=200, required=False
    )
    reporter_phone = forms.CharField(label="Telefoon melder", max_length=30, required=False)
    reporter_email = forms.EmailField(label="E-mail melder", required=False)
    observation = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Wat is waargenomen",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Feiten: wat, wanneer, waar, door wie gezien of gehoord.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError("Het ontvangstmoment kan niet in de toekomst liggen.")
        return received_at

    def clean(self):
        data = super().clean()
        anonymous = data.get("reporter_anonymous")
        if data.get("reporter_kind") == ReporterKind.ANONYMOUS:
            anonymous = data["reporter_anonymous"] = True
        if anonymous:
            for name in ("reporter_name", "reporter_phone", "reporter_email"):
                data[name] = ""
        else:
            if not (data.get("reporter_name") or data.get("reporter_organisation")):
                self.add_error(
                    "reporter_name",
                    "Vul de naam of de organisatie van de melder in, of "
                    "kies voor een anonieme melding.",
                )
            if not (data.get("reporter_phone") or data.get("reporter_email")):
                self.add_error(
                    "reporter_phone", "Vul een telefoonnummer of e-mailadres van de melder in."
                )
        return data


class PersonForm(forms.Form):
    first_name = forms.CharField(label="Voornaam", max_length=100, required=False)
    last_name = forms.CharField(label="Achternaam", max_length=150, required=False)
    date_of_birth = forms.DateField(label="Geboortedatum", required=False, widget=DATE_WIDGET)
    bsn = forms.CharField(
        label="BSN",
        max_length=9,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    gender = forms.ChoiceField(label="Geslacht", choices=Gender.choices, required=False)
    street = forms.CharField(label="Straat en huisnummer", max_length=200, required=False)
    postcode = forms.CharField(label="Postcode", max_length=7, required=False)
    city = forms.CharField(label="Woonplaats", max_length=100, required=False)
    relation = forms.CharField(
        label="Relatie tot de melding",
        max_length=100,
        required=False,
        help_text="Bijvoorbeeld: hoofdpersoon, broer, moeder.",
    )

    def clean_bsn(self) -> str:
        bsn = re.sub(r"[\s.]", "", self.cleaned_data.get("bsn", ""))
        if bsn and not bsn_is_valid(bsn):
            raise forms.ValidationError(
                "Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan."
            )
        return bsn

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError("De geboortedatum kan niet in de toekomst liggen.")
        if born and born.year < 1900:
            raise forms.ValidationError("Controleer het geboortejaar.")
        return born

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data.get("postcode", "").strip().upper()
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError("Een postcode ziet eruit als 1234 AB.")
        return f"{postcode[:4]} {postcode[-2:]}" if postcode else ""

    def has_identity(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(f) for f in ("first_name", "last_name", "date_of_birth", "bsn"))

    def person_data(self) -> PersonData:
        return PersonData(
            **{
                name: self.cleaned_data.get(name) or ("" if name != "date_of_birth" else None)
                for name in self.fields
            }
        )


class BasePersonFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            bsn = form.cleaned_data.get("bsn") if hasattr(form, "cleaned_data") else ""
            if bsn and bsn in seen:
                form.add_error("bsn", "Dit BSN staat al bij een andere persoon in deze melding.")
            seen.add(bsn)

    def identified(self) -> list[PersonData]:
        return [form.person_data() for form in self.forms if form.has_identity()]


PersonFormSet = forms.formset_factory(
    PersonForm, formset=BasePersonFormSet, extra=1, max_num=20, validate_max=True
)


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Uitkomst", choices=TriageOutcome.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Onderbouw de eerste beoordeling."},
    )
    handed_over_to = forms.ModelChoiceField(
        label="Overdragen aan",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="Alleen bij overdracht aan reguliere zorg.",
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == TriageOutcome.REGULAR_CARE and not data.get("handed_over_to"):
            self.add_error("handed_over_to", "Kies de organisatie die de zorg overneemt.")
        return data


class AssessmentForm(forms.Form):
    """The framework's questions as fields, plus the risk profile and the 13 life domains.

    Nothing is required here: the board saves as it goes; completeness is asked for when
    advising (and an urgent report may go on incomplete)."""

    risk_groups = forms.TypedMultipleChoiceField(
        label="Risicogroepen",
        choices=RiskGroup.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ideology = forms.ChoiceField(
        label="Ideologie", choices=[("", "—"), *Ideology.choices], required=False
    )
    violence_readiness = forms.ChoiceField(
        label="Geweldsbereidheid",
        choices=[("", "—"), *ViolenceReadiness.choices],
        required=False,
    )
    network = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Netwerk",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    summary = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Samenvatting informatiebeeld",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, questions: list[FrameworkQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.pk}"] = self._field_for(question)
        for domain, label in LifeDomain.choices:
            self.fields[f"score_{domain}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", "—"), *ZRM_SCORES],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"note_{domain}"] = forms.CharField(
                label=f"Toelichting {label.lower()}",
                required=False,
                max_length=2000,
                widget=forms.TextInput(),
            )

    @staticmethod
    def _field_for(question: FrameworkQuestion) -> forms.Field:
        common = {"label": question.text, "help_text": question.help_text, "required": False}
        options = [(c, c) for c in question.choices]
        if question.kind == QuestionKind.CHOICE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
        if question.kind == QuestionKind.SCALE:
            return forms.TypedChoiceField(
                choices=[(i, str(i)) for i in range(1, 6)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)

    def clean(self):
        data = super().clean()
        for domain, label in LifeDomain.choices:
            if data.get(f"note_{domain}") and not data.get(f"score_{domain}"):
                self.add_error(f"score_{domain}", f"Geef een score voor {label.lower()}.")
        return data

    def answers(self) -> dict[int, object]:
        """Every question of the form; an emptied answer is None, so it is cleared."""
        return {
            q.pk: None if (value := self.cleaned_data.get(f"q_{q.pk}")) in ("", []) else value
            for q in self.questions
        }

    def scores(self) -> dict[str, tuple[int, str] | None]:
        """Every life domain; an emptied score is None, so it is removed."""
        return {
            domain: (self.cleaned_data[f"score_{domain}"], self.cleaned_data[f"note_{domain}"])
            if self.cleaned_data.get(f"score_{domain}")
            else None
            for domain in LifeDomain.values
        }

    def section_fields(self):
        """Fields grouped per framework section, for the template."""
        groups: dict[str, list] = {}
        for question in self.questions:
            groups.setdefault(question.section.title, []).append(self[f"q_{question.pk}"])
        return list(groups.items())

    def domain_rows(self):
        return [(self[f"score_{d}"], self[f"note_{d}"]) for d in LifeDomain.values]


class InformationRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Aan organisatie", queryset=Organisation.objects.filter(is_active=True)
    )
    contact = forms.CharField(label="Contactpersoon", max_length=200, required=False)
    question = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Vraag", widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label="Antwoord verwacht uiterlijk",
        widget=DATE_WIDGET,
        required=False,
        help_text="Standaard tien dagen.",
    )

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due < timezone.localdate():
            raise forms.ValidationError("De termijn kan niet in het verleden liggen.")
        return due


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Antwoord", widget=forms.Textarea(attrs={"rows": 4})
    )
    answered_on = forms.DateField(
        label="Beantwoord op", widget=DATE_WIDGET, initial=timezone.localdate
    )

    def clean_answered_on(self):
        answered = self.cleaned_data["answered_on"]
        if answered > timezone.localdate():
            raise forms.ValidationError("De antwoorddatum kan niet in de toekomst liggen.")
        return answered


class PersonSearchForm(forms.Form):
    bsn = forms.CharField(label="BSN", max_length=11, required=False)
    first_name = forms.CharField(label="Voornaam", max_length=100, required=False)
    last_name = forms.CharField(label="Achternaam", max_length=150, required=False)
    date_of_birth = forms.DateField(label="Geboortedatum", required=False, widget=DATE_WIDGET)

    def clean_bsn(self) -> str:
        return re.sub(r"[\s.]", "", self.cleaned_data.get("bsn", ""))

    def clean(self):
        data = super().clean()
        if not (data.get("bsn") or data.get("last_name") or data.get("first_name")):
            raise forms.ValidationError("Zoek op BSN of op naam (eventueel met geboortedatum).")
        return data


class PersonCheckForm(forms.Form):
    """The outcome of a known-person search: one of the persons found, or none of them."""

    NONE = "geen"

    outcome = forms.CharField(
        label="Uitkomst",
        max_length=30,
        error_messages={
            "required": "Kies de persoon die dezelfde is, of 'Geen van deze personen'."
        },
    )
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_outcome(self) -> int | None:
        """The id of the report the same person is in, or None for 'no match'."""
        value = self.cleaned_data["outcome"].strip()
        if value == self.NONE:
            return None
        if value.isdigit() and 0 < int(value) < 2**31:
            return int(value)
        raise forms.ValidationError("Kies de persoon die dezelfde is, of 'Geen van deze personen'.")


class ApproachCheckForm(forms.Form):
    approach = forms.ChoiceField(label="Aanpak", choices=OtherApproach.choices)
    approach_name = forms.CharField(label="Naam andere aanpak", max_length=100, required=False)
    result = forms.ChoiceField(
        label="Uitkomst", choices=CheckResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("approach") == OtherApproach.OTHER and not data.get("approach_name"):
            self.add_error("approach_name", "Noem de andere aanpak.")
        return data


class AdviceForm(forms.Form):
    kind = forms.ChoiceField(label="Advies", choices=AdviceKind.choices, widget=forms.RadioSelect)
    reasoning = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Onderbouw het advies."},
    )
    proposed_risk_groups = forms.TypedMultipleChoiceField(
        label="Voorgestelde risicogroepen",
        choices=RiskGroup.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    proposed_ideology = forms.ChoiceField(
        label="Voorgestelde ideologie", choices=[("", "—"), *Ideology.choices], required=False
    )
    best_cards = forms.ModelChoiceField(
        label="Organisatie met de beste kaarten",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="Dichtst bij de problematiek; OOV bij politiek gevoelige casussen.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == AdviceKind.ADMIT:
            if not data.get("best_cards"):
                self.add_error("best_cards", "Kies bij opname de organisatie met de beste kaarten.")
            if not data.get("proposed_risk_groups"):
                self.add_error(
                    "proposed_risk_groups", "Kies bij opname ten minste één risicogroep."
                )
        return data


class FrameworkCopyForm(forms.Form):
    """The new version of a framework. A form, not raw POST values: its CharFields refuse NUL
    characters (which PostgreSQL cannot store) with a Dutch message."""

    version = forms.CharField(
        label="Versienummer",
        max_length=20,
        error_messages={"required": "Geef de nieuwe versie een versienummer."},
    )
    name = forms.CharField(label="Naam", max_length=200, required=False)


class FrameworkQuestionForm(ModelForm):
    choices_text = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Antwoordopties",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Eén optie per regel; alleen voor keuzevragen.",
    )

    class Meta:
        model = FrameworkQuestion
        fields = ["section", "order", "text", "help_text", "kind", "required"]

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.all()
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def clean(self):
        data = super().clean()
        options = [
            line.strip() for line in data.get("choices_text", "").splitlines() if line.strip()
        ]
        if data.get("kind") in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) and len(options) < 2:
            self.add_error("choices_text", "Een keuzevraag heeft ten minste twee opties.")
        self.instance.choices = options
        return data
