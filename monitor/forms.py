from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from monitor import periods
from monitor.selectors import DEFAULT_GAP_WEEKS

QUARTERS = [(1, "Q1 (jan-mrt)"), (2, "Q2 (apr-jun)"), (3, "Q3 (jul-sep)"), (4, "Q4 (okt-dec)")]


class PeriodForm(forms.Form):
    """The period in the query string, so every view, export and bookmark shows the same.

    Only calendar quarters: fixed periods that never overlap, so no figure can be worked out
    by subtracting one period from another (a year minus three quarters, two custom periods a
    day apart). docs/monitor.md explains the choice."""

    soort = forms.ChoiceField(
        label="Periode",
        choices=[(periods.QUARTER, "Kwartaal")],
        initial=periods.QUARTER,
        error_messages={
            "invalid_choice": "De monitor toont alleen kwartalen: perioden die elkaar "
            "overlappen maken verborgen cellen terug te rekenen."
        },
    )
    jaar = forms.IntegerField(label="Jaar", min_value=2015, max_value=2100)
    kwartaal = forms.TypedChoiceField(label="Kwartaal", choices=QUARTERS, coerce=int)
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
            ),
            Row(Column("weken", css_class="col-md-2")),
            Submit("tonen", "Toon monitor"),
        )

    def period(self) -> periods.Period:
        return periods.quarter(self.cleaned_data["jaar"], self.cleaned_data["kwartaal"])

    def gap_weeks(self) -> int:
        return self.cleaned_data.get("weken") or DEFAULT_GAP_WEEKS


def default_period(today: date | None = None) -> periods.Period:
    return periods.current_quarter(today)
