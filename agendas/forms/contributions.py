"""A member's contribution for one child: the kind's few questions and a short summary."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from permanence.fields import DateField
from permanence.forms import VersionField, longest, name_required_fields, textarea

from ..models import IN_A_SENTENCE, KIND_FIELDS, Contribution, ContributionKind

YES_NO = [("yes", "Yes"), ("no", "No")]
_ANSWERS = {"yes": True, "no": False, "": None}


def _yes_no(name: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=Contribution._meta.get_field(name).verbose_name,
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=hint,
    )


def _date(name: str, hint: str) -> DateField:
    return DateField(
        label=Contribution._meta.get_field(name).verbose_name, required=False, help_text=hint
    )


# Each structured field as the form asks it; only the kind's own are on its form.
QUESTIONS = {
    "last_health_assessment": lambda: _date("last_health_assessment", "For example, 12 11 2026"),
    "health_plan_on_track": lambda: _yes_no("health_plan_on_track"),
    "pep_date": lambda: _date("pep_date", "For example, 3 11 2026"),
    "pep_up_to_date": lambda: _yes_no("pep_up_to_date"),
    "iro_agrees_with_plan": lambda: _yes_no(
        "iro_agrees_with_plan", "Say why in the summary, with the IRO's advice and challenge"
    ),
    "weekly_placement_cost": lambda: forms.DecimalField(
        label="Weekly placement cost",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text="In pounds, for example 850.00",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the weekly placement cost as an amount in pounds, like 850.00",
            "min_value": "The weekly placement cost can't be negative",
        },
    ),
    "placement_meeting_needs": lambda: _yes_no("placement_meeting_needs"),
}

SUMMARY_HINTS = {
    ContributionKind.HEALTH: "Progress against the health plan, and the Initial and Review "
    "Health Assessments",
    ContributionKind.EDUCATION: "Progress against the education plan and the Personal "
    "Education Plan (PEP)",
    ContributionKind.IRO: "Advice and challenge to the plan, and the voice of the child's IRO",
    ContributionKind.ACCESS_TO_RESOURCES: "Whether the placement gives evidence-based "
    "outcomes, its costs, and any placement search",
    ContributionKind.FOSTERING_RESIDENTIAL: "Information from the child's placement",
}


class ContributionForm(forms.Form):
    version = VersionField()
    summary = forms.CharField(
        label="Summary for panel",
        max_length=longest(Contribution, "summary"),
        widget=forms.Textarea,
        error_messages={"required": "Write a short summary for panel"},
    )

    def __init__(self, *args, contribution: Contribution, **kwargs):
        names = KIND_FIELDS[ContributionKind(contribution.kind)]
        if contribution.is_written and "initial" not in kwargs:
            kwargs["initial"] = {"summary": contribution.summary} | {
                name: _initial(getattr(contribution, name)) for name in names
            }
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = contribution.version
        for name in names:
            self.fields[name] = QUESTIONS[name]()
        self.fields["summary"].help_text = SUMMARY_HINTS[contribution.kind]
        self.names = names
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *(_layout(self, name) for name in names),
            textarea(self, "summary", label_size=Size.SMALL, rows=6),
            Field("version"),
            Submit("save", "Save the contribution"),
        )

    def service_fields(self) -> dict:
        answers = {name: self.cleaned_data[name] for name in self.names}
        for name, value in answers.items():
            if isinstance(self.fields[name], forms.ChoiceField):
                answers[name] = _ANSWERS[value]
        return {
            "summary": self.cleaned_data["summary"],
            "version": self.cleaned_data["version"],
            **answers,
        }


def _initial(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _layout(form, name):
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        return Field.radios(name, legend_size=Size.SMALL, inline=True)
    if isinstance(field, DateField):
        return Field(name)
    return Field.text(name, label_size=Size.SMALL, field_width=10)


class ExpectedContributionsForm(forms.Form):
    """For each kind, the seat that provides it (or none: not asked for) and when it is
    due, in working days before the panel."""

    def __init__(self, *args, panel, **kwargs):
        current = {item.kind: item for item in panel.expected_contributions.all()}
        initial = {}
        for kind, item in current.items():
            initial[f"{kind}_seat"] = item.seat_id
            initial[f"{kind}_due_days"] = item.due_days
        kwargs["initial"] = initial | (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        seats = panel.memberships.all()
        layout = []
        for kind in ContributionKind:
            self.fields[f"{kind}_seat"] = forms.ModelChoiceField(
                queryset=seats,
                required=False,
                label=f"{kind.label}: from which seat",
                empty_label="Not asked for",
            )
            self.fields[f"{kind}_due_days"] = forms.IntegerField(
                label=f"{kind.label}: due, in working days before the panel",
                min_value=-60,
                max_value=0,
                initial=-6,
                required=False,
                help_text="For example -6: the working day before a -5 agenda goes out",
                error_messages={
                    "max_value": "A contribution is due on or before the day of panel: "
                    "give 0 or a negative number",
                    "min_value": "Give a number of working days no more than 60 before panel",
                    "invalid": "Give the working days as a whole number, like -6",
                },
            )
            layout += [
                Field.select(f"{kind}_seat", label_size=Size.SMALL),
                Field.text(f"{kind}_due_days", field_width=4),
            ]
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*layout, Submit("save", "Save the contributions"))

    def clean(self):
        data = super().clean()
        for kind in ContributionKind:
            due = f"{kind}_due_days"
            if data.get(f"{kind}_seat") and data.get(due) is None and due not in self.errors:
                self.add_error(
                    f"{kind}_due_days", f"Say when the {IN_A_SENTENCE[kind]} contribution is due"
                )
        return data

    def expected(self) -> dict:
        data = self.cleaned_data
        return {
            kind: (data[f"{kind}_seat"], data[f"{kind}_due_days"])
            for kind in ContributionKind
            if data.get(f"{kind}_seat")
        }
