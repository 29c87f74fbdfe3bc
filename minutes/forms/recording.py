"""Forms for recording the meeting: panel's decision for a child, the actions it sets, and
who sat in each seat."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from agendas.models import TRACKING_EFFECTS, Booking, Meeting, PanelMembership, RequestPurpose
from permanence.fields import DateField
from permanence.forms import VersionField, longest, name_required_fields, textarea
from tracker.codes import Plan, ReviewUnit

from ..models import AttendanceStatus, Decision, PanelAction

SOCIAL_WORKER, TEAM_MANAGER = "social_worker", "team_manager"
ACTION_ROWS = 3


def _helper(*fields) -> FormHelper:
    """A helper for a form rendered inside the page's own <form>, beside others."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def comes_back_initial(child) -> dict:
    """The chair's frequency stands unless they change it: each discussion sets it anew, so
    a form recording one starts from the child's."""
    return {
        "comes_back_every": child.panel_review_every,
        "comes_back_unit": child.panel_review_unit,
        "comes_back_by": child.panel_review_by,
    }


def _plan_choices():
    return [("", "No plan agreed at this panel"), *Plan.choices]


class DecisionForm(forms.Form):
    version = VersionField()
    outcome = forms.ModelChoiceField(
        queryset=None,
        label="Outcome",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose panel's decision."},
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=longest(Decision, "rationale"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Give panel's rationale for the decision."},
        help_text="Why panel decided this, in the words for the minutes",
    )
    timescales = forms.CharField(
        label="Timescales for the action plan",
        required=False,
        max_length=longest(Decision, "timescales"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    further_information = forms.CharField(
        label="Further information needed",
        required=False,
        max_length=longest(Decision, "further_information"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When panel defers: what it needs before it decides",
    )
    by_date = DateField(
        label="By when",
        required=False,
        help_text="When panel defers or re-presents the child, for example 10 2 2027. "
        "The child is booked into the first meeting after it.",
    )
    forward_request_type = forms.ModelChoiceField(
        queryset=None,
        label="What the child comes back to panel for",
        required=False,
        empty_label=None,
        help_text="The same request unless panel asks for another. "
        "The documents already sent go with the child.",
    )
    primary_plan = forms.ChoiceField(
        label="Plan for permanence agreed", required=False, choices=_plan_choices
    )
    contingency_plan = forms.ChoiceField(
        label="Contingency plan agreed", required=False, choices=_plan_choices
    )
    subject_to_final_order = forms.BooleanField(
        label="Ratified subject to the final order",
        required=False,
        help_text="When the child's care proceedings have no final order yet: permanence is "
        "secured once the final order is recorded on the child",
    )
    comes_back_every = forms.IntegerField(
        label="Comes back to panel every",
        required=False,
        min_value=1,
        max_value=104,
        error_messages={"min_value": "Give at least 1 week or month."},
    )
    comes_back_unit = forms.ChoiceField(
        label="Weeks or months",
        required=False,
        choices=ReviewUnit.choices,
        widget=forms.RadioSelect,
    )
    comes_back_by = DateField(
        label="Or comes back by",
        required=False,
        help_text="A date, for example 15 1 2027. Leave both empty for the panel's interval.",
    )
    attended = forms.MultipleChoiceField(
        label="Who attended for the child",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (SOCIAL_WORKER, "Social worker attended"),
            (TEAM_MANAGER, "Team manager attended"),
        ],
    )

    def __init__(
        self,
        *args,
        meeting: Meeting,
        decision: Decision | None = None,
        booking: Booking | None = None,
        **kwargs,
    ):
        if decision is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(decision)
        elif booking is not None and "initial" not in kwargs:
            kwargs["initial"] = comes_back_initial(booking.child)
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        # A decision not yet recorded is at version 0 (permanence.versions).
        self.fields["version"].initial = decision.version if decision is not None else 0
        # A tracking review has its own four outcomes; a request never takes them.
        tracking = booking is not None and booking.is_tracking
        outcomes = meeting.panel.outcomes
        self.fields["outcome"].queryset = (
            outcomes.filter(effect__in=TRACKING_EFFECTS)
            if tracking
            else outcomes.exclude(effect__in=TRACKING_EFFECTS)
        )
        if tracking:
            self.fields["rationale"].required = False
            self.fields["rationale"].label = "Note"
        self.fields["forward_request_type"].queryset = meeting.panel.request_types.all()
        if booking is not None:
            self.fields["forward_request_type"].initial = booking.request_type_id
        # Only ratifying a placement as permanent can wait for the final order.
        ratifies = booking is not None and booking.request_type.purpose == RequestPurpose.PERMANENCE
        if not ratifies:
            del self.fields["subject_to_final_order"]
        self.helper = _helper(*self.layout_fields())

    def layout_fields(self) -> list:
        return [
            Field.radios("outcome", legend_size=Size.MEDIUM),
            textarea(self, "rationale", label_size=Size.SMALL, rows=6),
            textarea(self, "timescales", label_size=Size.SMALL, rows=3),
            Fieldset(
                textarea(self, "further_information", rows=3),
                Field("by_date"),
                Field.select("forward_request_type"),
                legend="If panel defers or re-presents the child",
                legend_size=Size.SMALL,
            ),
            Field.select("primary_plan"),
            Field.select("contingency_plan"),
            Fieldset(
                Field.text("comes_back_every", field_width=Fixed.TWO),
                Field.radios("comes_back_unit", inline=True, small=True),
                Field("comes_back_by"),
                legend="When the child comes back to panel",
                legend_size=Size.SMALL,
            ),
            *(
                [Field.checkbox("subject_to_final_order", small=True)]
                if "subject_to_final_order" in self.fields
                else []
            ),
            Field.checkboxes("attended", legend_size=Size.SMALL, small=True),
            Field("version"),
        ]

    @staticmethod
    def initial_from(decision: Decision) -> dict:
        return {
            "outcome": decision.outcome_id,
            "rationale": decision.rationale,
            "timescales": decision.timescales,
            "further_information": decision.further_information,
            "by_date": decision.by_date,
            **(
                {"forward_request_type": decision.forward_booking.request_type_id}
                if decision.forward_booking
                else {}
            ),
            "primary_plan": decision.primary_plan,
            "contingency_plan": decision.contingency_plan,
            "subject_to_final_order": decision.subject_to_final_order,
            "comes_back_every": decision.comes_back_every,
            "comes_back_unit": decision.comes_back_unit,
            "comes_back_by": decision.comes_back_by,
            "attended": [
                name
                for name, attended in (
                    (SOCIAL_WORKER, decision.social_worker_attended),
                    (TEAM_MANAGER, decision.team_manager_attended),
                )
                if attended
            ],
        }

    def service_fields(self) -> dict:
        """The cleaned form as services.decision_record takes it."""
        data = self.cleaned_data
        attended = set(data["attended"])
        return {
            "outcome": data["outcome"],
            "rationale": data["rationale"],
            "timescales": data["timescales"].strip(),
            "further_information": data["further_information"].strip(),
            "by_date": data["by_date"],
            "forward_request_type": data["forward_request_type"],
            "primary_plan": data["primary_plan"],
            "contingency_plan": data["contingency_plan"],
            "social_worker_attended": SOCIAL_WORKER in attended,
            "team_manager_attended": TEAM_MANAGER in attended,
            "subject_to_final_order": data.get("subject_to_final_order", False),
            "comes_back_every": data["comes_back_every"],
            "comes_back_unit": data["comes_back_unit"],
            "comes_back_by": data["comes_back_by"],
            "version": data["version"],
        }


class ActionFields(forms.Form):
    """What an action is: said the same way when it is set and when it is amended."""

    description = forms.CharField(
        label="What is to be done",
        required=False,
        max_length=longest(PanelAction, "description"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.ModelChoiceField(
        queryset=None, label="Who does it", required=False, empty_label="Choose a person"
    )
    due_date = DateField(label="Due by", required=False, help_text="For example, 10 2 2027")


class ActionForm(ActionFields):
    """One new action row: left empty, it is ignored; partly filled, it is refused."""

    MISSING = {
        "description": "Say what is to be done for new action {number}, or clear the row.",
        "owner": "Choose who does new action {number}, or clear the row.",
        "due_date": "Enter the date new action {number} is due, or clear the row.",
    }

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, prefix=f"action-{number}", **kwargs)
        name_required_fields(self)
        self.number = number
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True)
        self.helper = _helper(
            Fieldset(
                textarea(self, "description", rows=2),
                Field.select("owner"),
                Field("due_date"),
                legend=f"New action {number}",
                legend_size=Size.SMALL,
            )
        )

    @property
    def is_filled(self) -> bool:
        """Whether anything was typed or chosen in the row: an empty row is no row at all."""
        return self.is_bound and any(_typed(self[name].value()) for name in self.fields)

    def clean(self):
        cleaned = super().clean()
        if not self.is_filled:
            return cleaned
        for name, message in self.MISSING.items():
            value = cleaned.get(name)
            if name not in self.errors and not (value.strip() if isinstance(value, str) else value):
                self.add_error(name, message.format(number=self.number))
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "owner": data["owner"],
            "due_date": data["due_date"],
        }


def _typed(value) -> bool:
    if isinstance(value, list | tuple):
        return any(_typed(part) for part in value)
    return value is not None and bool(str(value).strip())


def action_forms(data=None) -> list[ActionForm]:
    return [ActionForm(data, number=number) for number in range(1, ACTION_ROWS + 1)]


def seat_name(membership: PanelMembership) -> str:
    return f"{membership.role_on_panel}: {membership.user or 'vacant'}"


class AttendanceRowForm(forms.Form):
    """One seat's attendance. A seat left blank is not recorded."""

    status = forms.ChoiceField(
        choices=AttendanceStatus.choices, widget=forms.RadioSelect, required=False
    )
    representative_name = forms.CharField(max_length=200, required=False)
    representative_role = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, membership: PanelMembership, **kwargs):
        super().__init__(*args, prefix=f"seat-{membership.pk}", **kwargs)
        name_required_fields(self)
        self.membership = membership
        role = membership.role_on_panel
        self.fields["status"].label = seat_name(membership)
        self.fields["representative_name"].label = format_html(
            'Representative’s name<span class="govuk-visually-hidden"> for {}</span>', role
        )
        self.fields["representative_role"].label = format_html(
            'Representative’s role<span class="govuk-visually-hidden"> for {}</span>', role
        )
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.text("representative_name", field_width=Fluid.TWO_THIRDS),
            Field.text("representative_role", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == AttendanceStatus.REPRESENTED
            and not cleaned.get("representative_name", "").strip()
        ):
            self.add_error(
                "representative_name",
                f"Give the name of the representative for {self.membership.role_on_panel}.",
            )
        return cleaned

    def service_row(self) -> dict | None:
        data = self.cleaned_data
        if not data["status"]:
            return None
        return {
            "membership": self.membership,
            "status": data["status"],
            "representative_name": data["representative_name"],
            "representative_role": data["representative_role"],
        }
