from django import forms
from django.db.models import Q
from django.utils import timezone

from cases.constants import ClosureReason
from intake.constants import NotAdmittedReason
from intake.forms import DATE_WIDGET, DATETIME_WIDGET
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from ipgar.lib.locking import LockVersionField
from ipgar.lib.text import TEXT_MAX_LENGTH
from meetings.constants import AttendanceStatus, DecisionKind, ItemKind, ItemStatus, OwnerGroup
from meetings.models import AgendaItem, AgendaSection, Meeting
from meetings.periods import Period, PeriodError, period_parse


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


class PastMeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Aanvang", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"]
    )
    duration_minutes = forms.IntegerField(label="Duur (minuten)", min_value=15, max_value=600)
    location = forms.CharField(label="Locatie", max_length=200, required=False)
    reason = forms.CharField(
        label="Reden (achteraf vastgelegd)",
        max_length=300,
        error_messages={"required": "Geef aan waarom deze vergadering achteraf wordt vastgelegd."},
    )

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at >= timezone.now():
            raise forms.ValidationError(
                "Achteraf vastleggen kan alleen voor een vergadering die al is begonnen."
            )
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
    section = forms.ModelChoiceField(
        label="Onderdeel", queryset=AgendaSection.objects.none(), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label="Eigenaar (organisatie)",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="Verplicht bij een beleidsonderwerp.",
    )
    owner_users = forms.ModelMultipleChoiceField(
        label="Eigenaren (personen)",
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
    )
    owner_groups = forms.MultipleChoiceField(
        label="Eigenaren (groep)",
        required=False,
        choices=OwnerGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_closed_session = forms.BooleanField(label="Besloten deel", required=False)
    closed_attendees = forms.ModelMultipleChoiceField(
        label="Deelnemers besloten deel",
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # The body's members, not every user: the agenda page renders this once, and at
            # national scale "every user" is thousands of options (issue 19).
            self.fields["closed_attendees"].queryset = meeting.body.members.all()
            self.fields["owner_users"].queryset = meeting.body.members.order_by("last_name")
            self.fields["section"].queryset = meeting.sections.all()

    def owners(self) -> list:
        from meetings.services import OwnerData

        data = self.cleaned_data
        return [
            *(OwnerData(user=u) for u in data.get("owner_users") or ()),
            *(OwnerData(group=g) for g in data.get("owner_groups") or ()),
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ItemKind.POLICY and not data.get("owner_organisation"):
            self.add_error("owner_organisation", "Een beleidsonderwerp heeft een eigenaar.")
        if data.get("is_closed_session") and not data.get("closed_attendees"):
            self.add_error("closed_attendees", "Kies wie bij het besloten deel aanwezig is.")
        return data


class ItemMinutesForm(forms.Form):
    lock_version = LockVersionField()
    handled_position = forms.IntegerField(
        label="Behandeld als (volgnummer)",
        required=False,
        min_value=1,
        help_text="Alleen als de vergadering dit punt in een andere volgorde behandelde.",
    )
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


class SectionForm(forms.Form):
    """The heading of an agenda section. A form (not the raw POST value) so that a NUL byte is
    refused in Dutch instead of reaching PostgreSQL, which cannot store it."""

    kop = forms.CharField(
        max_length=200,
        label="Kop",
        error_messages={"required": "Een onderdeel van de agenda heeft een kop."},
    )


class DecisionCorrectForm(forms.Form):
    """The corrected wording of a decision; a form for the same reason as SectionForm."""

    text = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Besluit",
        error_messages={"required": "Besluit: een besluit heeft een tekst."},
    )


class RegisseurSelect(forms.Select):
    """Each regisseur option names its organisation, so the page offers only the regisseurs of
    the organisation chosen first (static/js/ipgar.js)."""

    organisations: dict[int, int] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        organisation = self.organisations.get(getattr(value, "value", value))
        if organisation:
            option["attrs"]["data-organisation"] = str(organisation)
        return option


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
    second_case_reason = forms.CharField(
        label="Reden voor een tweede open casus",
        required=False,
        max_length=500,
        help_text="Alleen invullen als deze persoon al een open casus heeft en het overleg "
        "toch een tweede casus toestaat.",
    )

    def __init__(self, *args, kinds=None, regisseurs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [(k, DecisionKind(k).label) for k in kinds]
        if regisseurs is not None:  # labelled with organisation, caseload and agenda items
            labels = {pk: label for pk, label, _ in regisseurs}
            self.fields["regisseur"].label_from_instance = lambda user: labels.get(
                user.pk, str(user)
            )
            widget = RegisseurSelect()
            widget.organisations = {pk: org for pk, _, org in regisseurs}
            widget.choices = self.fields["regisseur"].widget.choices
            self.fields["regisseur"].widget = widget

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
                self.add_error(
                    "regisseur",
                    f"Deze regisseur werkt bij een andere organisatie; kies een regisseur van "
                    f"{data['organisation']}.",
                )
        return data


class AttendanceForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisatie", required=False, queryset=Organisation.objects.filter(is_active=True)
    )
    organisation_name = forms.CharField(
        label="Of: organisatie die niet in de applicatie staat", max_length=200, required=False
    )
    status = forms.ChoiceField(label="Aanwezigheid", choices=AttendanceStatus.choices)


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=2, max_num=60)


class PeriodField(forms.CharField):
    """A date (dd-mm-jjjj) or a typed period ("eerste helft 2027", "z.s.m.", "jaarlijks")."""

    def __init__(self, *args, year=None, **kwargs):
        self.year = year
        super().__init__(*args, max_length=100, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return period_parse(value, year=self.year or timezone.localdate().year)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None


class OwnersForm(forms.Form):
    """One or more owners: persons, organisations, groups."""

    owner_users = forms.ModelMultipleChoiceField(
        label="Eigenaren (personen)",
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
    )
    owner_organisations = forms.ModelMultipleChoiceField(
        label="Eigenaren (organisaties)",
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
    )
    owner_groups = forms.MultipleChoiceField(
        label="Eigenaren (groep)",
        required=False,
        choices=OwnerGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def owners(self) -> list:
        from meetings.services import OwnerData

        data = self.cleaned_data
        return [
            *(OwnerData(user=u) for u in data.get("owner_users") or ()),
            *(OwnerData(organisation=o) for o in data.get("owner_organisations") or ()),
            *(OwnerData(group=g) for g in data.get("owner_groups") or ()),
        ]


class ActionEditForm(OwnersForm):
    """What the action says: the correction form of the action page (action_update)."""

    subject = forms.CharField(label="Onderwerp", max_length=200)
    action = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Actie", widget=forms.Textarea(attrs={"rows": 2})
    )
    due = PeriodField(
        label="Uiterlijk",
        required=False,
        help_text="Een datum (dd-mm-jjjj) of een periode: z.s.m., september 2027, Q1 2027, "
        "eerste helft 2027, vóór de zomer, jaarlijks.",
    )
    field_order = [
        "raised_in",
        "item",
        "raised_on",
        "subject",
        "action",
        "owner_users",
        "owner_organisations",
        "owner_groups",
    ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.owners():
            self.add_error(
                "owner_users", "Wie is eigenaar van de actie: personen, organisaties of een groep?"
            )
        return data

    @classmethod
    def initial_for(cls, action) -> dict:
        owners = list(action.owners.all())
        return {
            "subject": action.subject,
            "action": action.action,
            "due": action.due_label,
            "owner_users": [o.user_id for o in owners if o.user_id],
            "owner_organisations": [o.organisation_id for o in owners if o.organisation_id],
            "owner_groups": [o.group for o in owners if o.group],
        }


class ActionForm(ActionEditForm):
    """A new action, with where and when it was raised: a meeting of the body (begun, minutes
    not adopted), optionally one of its agenda items, and the date (default the meeting's)."""

    raised_in = forms.ModelChoiceField(
        label="Ontstaan in de vergadering",
        queryset=Meeting.objects.none(),
        required=False,
        help_text="Leeg: een actie buiten een vergadering.",
    )
    item = forms.ModelChoiceField(
        label="Bij agendapunt (optioneel)", queryset=AgendaItem.objects.none(), required=False
    )
    raised_on = forms.DateField(
        label="Datum",
        required=False,
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text="Leeg: de datum van de vergadering (zonder vergadering: vandaag).",
    )

    def __init__(self, *args, meetings=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["raised_in"].queryset = meetings
        if items is not None:
            field = self.fields["item"]
            field.queryset = items
            # Grouped by meeting when more than one meeting's items are offered.
            groups: dict = {}
            for item in items:
                groups.setdefault(item.meeting, []).append((item.pk, item.title))
            field.choices = [
                ("", field.empty_label),
                *(
                    next(iter(groups.values()), [])
                    if len(groups) == 1
                    else [(str(meeting), rows) for meeting, rows in groups.items()]
                ),
            ]

    def clean(self):
        data = super().clean()
        item, meeting = data.get("item"), data.get("raised_in")
        if item is not None:
            if meeting is None:
                data["raised_in"] = item.meeting
            elif item.meeting_id != meeting.pk:
                self.add_error(
                    "item", f"Agendapunt: kies een punt van de vergadering {meeting}, of geen."
                )
        raised_on = data.get("raised_on")
        if raised_on is not None and raised_on > timezone.localdate():
            self.add_error("raised_on", "Datum: een actie ontstaat niet na vandaag.")
        return data


class ActionDoneForm(forms.Form):
    done_on = forms.DateField(
        label="Afgerond op",
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"required": "Op welke datum is de actie afgerond?"},
    )
    confirm = forms.BooleanField(
        label="Ja, deze actie is afgerond",
        error_messages={"required": "Bevestig dat de actie is afgerond."},
    )


class AgendaItemMoveForm(forms.Form):
    """The reason asked by the 7-day rule when an item moves to a meeting less than a week
    away; a form so that an over-long reason is refused in Dutch, the typed text kept."""

    reden = forms.CharField(
        label="Reden (alleen nodig als de vergadering minder dan 7 dagen weg is)",
        max_length=AgendaItem._meta.get_field("move_reason").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    punt = forms.IntegerField(widget=forms.HiddenInput)
    naar = forms.IntegerField(widget=forms.HiddenInput)


class ForwardItemForm(forms.Form):
    title = forms.CharField(label="Onderwerp", max_length=300)
    when = PeriodField(
        label="Wanneer",
        help_text="Een datum, een periode (september 2027, vóór de zomer) of ‘nog plannen’.",
        error_messages={"required": "Geef een datum, een periode of ‘nog plannen’."},
    )
    period = forms.CharField(
        label="Zoals geschreven (optioneel)",
        max_length=100,
        required=False,
        help_text="Bijvoorbeeld: 16/2, 15/4 en 22/6.",
    )
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    meeting = forms.ModelChoiceField(
        label="Te behandelen in de vergadering van",
        queryset=Meeting.objects.none(),
        required=False,
    )

    def __init__(self, *args, body=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if body is not None:
            # The coming meetings, and the one a corrected entry points at now (even if past).
            upcoming = Q(starts_at__gte=timezone.now())
            if current is not None:
                upcoming |= Q(pk=current.pk)
            self.fields["meeting"].queryset = (
                body.meetings.filter(upcoming).select_related("body").order_by("starts_at")
            )


class ForwardItemEditForm(ForwardItemForm):
    """A correction of one entry of the forward agenda; `punt` names the entry."""

    punt = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {
            "punt": entry.pk,
            "title": entry.title,
            "when": Period(entry.kind, entry.planned_on).label,
            "period": entry.period,
            "note": entry.note,
            "meeting": entry.meeting_id,
        }
