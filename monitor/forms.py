from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from monitor import periods
from monitor.selectors import DEFAULT_GAP_WEEKS

QUARTERS = [(1, "Q1 (jan-mrt)"), (2, "Q2 (apr-jun)"), (3, "Q3 (jul-sep)"), (4, "Q4 (okt-dec)")]
HALVES = [(1, "H1 (jan-jun)"), (2, "H2 (jul-dec)")]


class PeriodForm(forms.Form):
    """The period in the query string, so every view, export and bookmark shows the same."""

    soort = forms.ChoiceField(label="Periode", choices=periods.KINDS, initial=periods.QUARTER)
    jaar = forms.IntegerField(label="Jaar", min_value=2015, max_value=2100)
    kwartaal = forms.TypedChoiceField(
        label="Kwartaal", choices=QUARTERS, coerce=int, required=False
    )
    halfjaar = forms.TypedChoiceField(label="Halfjaar", choices=HALVES, coerce=int, required=False)
    van = forms.DateField(
        label="Van", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    weken = forms.IntegerField(
        label="Geen contact na (weken)",
        min_value=1,
        max_value=52,
        initial=DEFAULT_GAP_WEEKS,
        required=False,
    )

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {
            "soort": periods.QUARTER,
            "jaar": today.year,
            "kwartaal": (today.month - 1) // 3 + 1,
            "halfjaar": 1 if today.month <= 6 else 2,
            "weken": DEFAULT_GAP_WEEKS,
        }
        merged = {**defaults, **{key: value for key, value in (data or {}).items() if value}}
        super().__init__(merged, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "periode"
        self.helper.layout = Layout(
            Row(
                Column("soort", css_class="col-md-2"),
                Column("jaar", css_class="col-md-2"),
                Column("kwartaal", css_class="col-md-2"),
                Column("halfjaar", css_class="col-md-2"),
                Column("van", css_class="col-md-2"),
                Column("tot", css_class="col-md-2"),
            ),
            Row(Column("weken", css_class="col-md-2")),
            Submit("tonen", "Toon monitor"),
        )

    def clean(self):
        data = super().clean()
        if data.get("soort") == periods.CUSTOM:
            start, end = data.get("van"), data.get("tot")
            if not start or not end:
                raise forms.ValidationError("Vul bij een aangepaste periode 'van' en 'tot' in.")
            if end < start:
                raise forms.ValidationError("De einddatum ligt voor de begindatum.")
            if (end - start).days > 366 * 5:
                raise forms.ValidationError("Kies een periode van hoogstens vijf jaar.")
        return data

    def period(self) -> periods.Period:
        data = self.cleaned_data
        kind = data["soort"]
        if kind == periods.QUARTER:
            return periods.quarter(data["jaar"], data.get("kwartaal") or 1)
        if kind == periods.HALF_YEAR:
            return periods.half_year(data["jaar"], data.get("halfjaar") or 1)
        if kind == periods.YEAR:
            return periods.year(data["jaar"])
        return periods.custom(data["van"], data["tot"])

    def gap_weeks(self) -> int:
        return self.cleaned_data.get("weken") or DEFAULT_GAP_WEEKS


def default_period(today: date | None = None) -> periods.Period:
    return periods.current_quarter(today)
