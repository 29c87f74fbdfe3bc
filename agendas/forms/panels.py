from datetime import date, time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format

from permanence.fields import DateField
from permanence.forms import longest, name_required_fields, textarea

from .. import selectors
from ..models import (
    LEAD_TIMES_AFTER,
    LEAD_TIMES_BEFORE,
    TRACKING_MONTHS,
    AgendaSection,
    BookingStatus,
    Break,
    DocumentRequirement,
    Meeting,
    MeetingStatus,
    Panel,
    PanelMembership,
    RequestType,
    WeekOfMonth,
)

TIME_HINT = "Use the 24-hour clock, for example 09:30 or 13:00"


def _helper(form, *fields, submit: str) -> FormHelper:
    """The form's GOV.UK layout, with numbers, times, dates and links typed as plain text.

    The Design System styles text inputs (and marks their errors) but not number, time or
    date inputs, and advises against type="number"; the server checks every value.
    """
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.NumberInput | forms.TimeInput | forms.DateInput):
            attrs = {"inputmode": "numeric"} if isinstance(widget, forms.NumberInput) else {}
            field.widget = forms.TextInput(attrs={**attrs, "spellcheck": "false"})
        elif isinstance(widget, forms.URLInput):
            field.widget = forms.TextInput(attrs={"spellcheck": "false"})
        value = form.initial.get(name)
        if isinstance(value, time):
            form.initial[name] = f"{value:%H:%M}"
        elif isinstance(value, date):
            form.initial[name] = f"{value:%d/%m/%Y}"
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class PanelForm(forms.ModelForm):
    """The panel's settings. Deadlines are entered as working days before or after the
    panel, never as signed numbers, and stored signed."""

    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        assume_scheme="https",
        help_text="For example, https://teams.microsoft.com/…",
    )

    class Meta:
        model = Panel
        fields = [
            "name",
            "purpose",
            "cadence",
            "weekday",
            "week_of_month",
            "series_start",
            "start_time",
            "end_time",
            "venue",
            "online_link",
            "chair",
            "deputy_chair",
            "deputy_is_joint_chair",
            "senior_decision_maker",
            "emergency_decision_makers",
            "slot_minutes",
            "has_thematic_item",
            "theme_request_days",
            "sends_tracker_with_decisions",
            "case_presentation",
            "booking_email_request",
            *(field for field, _ in LEAD_TIMES_BEFORE),
            *(field for field, _ in LEAD_TIMES_AFTER),
            *TRACKING_MONTHS,
            "panel_target_interval_months",
            "match_needs_permanence_approval",
            "life_story_working_days",
            "terms_of_reference_reviewed_on",
            "terms_of_reference_review_months",
            "complex_cases_recipient",
        ]
        labels = {"name": "Panel name", "start_time": "Start time", "end_time": "End time"}
        help_texts = {
            "series_start": "For fortnightly panels, any one meeting date, for example 08/01/2026",
            "terms_of_reference_reviewed_on": "For example, 15/01/2026",
            "start_time": TIME_HINT,
            "end_time": TIME_HINT,
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "case_presentation": forms.Textarea(attrs={"rows": 4}),
            "booking_email_request": forms.Textarea(attrs={"rows": 2}),
            "emergency_decision_makers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = selectors.chair_candidates(panel=self.instance)
        self.fields["chair"].queryset = people
        self.fields["deputy_chair"].queryset = people
        self.fields["chair"].help_text = "People with the Chair role"
        self.fields["chair"].empty_label = "Not set"
        self.fields["deputy_chair"].empty_label = "Not set"
        self.fields["complex_cases_recipient"].queryset = get_user_model().objects.filter(
            is_active=True
        )
        self.fields["complex_cases_recipient"].empty_label = "Not set"
        self.fields["week_of_month"].choices = [("", "Not monthly"), *WeekOfMonth.choices]
        for field, label in LEAD_TIMES_BEFORE:
            self.fields[field] = forms.IntegerField(
                label=label, min_value=0, max_value=60, help_text="Working days before the panel"
            )
            # Shown as a positive number of days before; stored as a negative offset.
            if field in self.initial:
                self.initial[field] = -self.initial[field]
        for field, label in LEAD_TIMES_AFTER:
            self.fields[field] = forms.IntegerField(
                label=label, min_value=0, max_value=60, help_text="Working days after the panel"
            )
        # Shown, like the deadlines, as a positive number of days before.
        self.fields["theme_request_days"] = forms.IntegerField(
            label="Ask the chair for the month's theme",
            required=False,
            min_value=1,  # asked on the day of the panel, it would come too late
            max_value=60,
            help_text="Working days before each panel with a thematic item. Leave empty "
            "never to ask.",
        )
        if self.initial.get("theme_request_days") is not None:
            self.initial["theme_request_days"] = -self.initial["theme_request_days"]
        name_required_fields(self)

        number = {"field_width": Fixed.FIVE}
        self.helper = _helper(
            self,
            Fieldset(
                Field.text("name", field_width=Fluid.TWO_THIRDS),
                textarea(self, "purpose", rows=3),
                legend="About the panel",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("cadence"),
                Field.select("weekday"),
                Field.select("week_of_month"),
                Field.text("series_start", field_width=Fixed.TEN),
                Field.text("start_time", field_width=Fixed.FIVE),
                Field.text("end_time", field_width=Fixed.FIVE),
                Field.text("venue", field_width=Fluid.TWO_THIRDS),
                Field.text("online_link"),
                legend="When and where it meets",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("chair"),
                Field.select("deputy_chair"),
                Field.checkbox("deputy_is_joint_chair"),
                Field.text("senior_decision_maker", field_width=Fluid.TWO_THIRDS),
                Field.select("complex_cases_recipient"),
                textarea(self, "emergency_decision_makers", rows=2),
                legend="Chairing and decisions",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("slot_minutes", **number),
                Field.checkbox("has_thematic_item"),
                Field.text("theme_request_days", **number),
                Field.checkbox("sends_tracker_with_decisions"),
                textarea(self, "case_presentation", rows=4),
                textarea(self, "booking_email_request", rows=2),
                legend="Agenda",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *(Field.text(field, **number) for field, _ in LEAD_TIMES_BEFORE),
                *(Field.text(field, **number) for field, _ in LEAD_TIMES_AFTER),
                legend="Deadlines in working days",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *(Field.text(field, **number) for field in TRACKING_MONTHS),
                Field.text("panel_target_interval_months", **number),
                legend="Tracking limits in months",
                legend_size=Size.MEDIUM,
            ),
            Field.checkbox("match_needs_permanence_approval"),
            Fieldset(
                Field.text("life_story_working_days", **number),
                legend="After permanence",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("terms_of_reference_reviewed_on", field_width=Fixed.TEN),
                Field.text("terms_of_reference_review_months", **number),
                legend="Terms of reference",
                legend_size=Size.MEDIUM,
            ),
            submit="Save panel settings",
        )

    def clean(self):
        cleaned = super().clean()
        for field in (*(field for field, _ in LEAD_TIMES_BEFORE), "theme_request_days"):
            if cleaned.get(field) is not None:
                cleaned[field] = -cleaned[field]
        return cleaned


class AgendaSectionForm(forms.ModelForm):
    class Meta:
        model = AgendaSection
        fields = [
            "order",
            "name",
            "definition",
            "booking",
            "slot_minutes",
            "capacity",
            "time_budget_minutes",
            "starts_at",
            "tracking",
            "agrees_next_agenda",
        ]
        labels = {"name": "Section name"}
        help_texts = {
            "order": "1 for the first section",
            "starts_at": f"Leave empty to follow on from the section before. {TIME_HINT}",
        }
        widgets = {"booking": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        number = {"field_width": Fixed.FIVE}
        self.helper = _helper(
            self,
            Field.text("order", **number),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            textarea(self, "definition", rows=5),
            Field.radios("booking", legend_size=Size.SMALL),
            Field.text("slot_minutes", **number),
            Field.text("capacity", **number),
            Field.text("time_budget_minutes", **number),
            Field.text("starts_at", field_width=Fixed.FIVE),
            Field.checkbox("tracking", small=True),
            Field.checkbox("agrees_next_agenda"),
            submit="Save section",
        )


class BreakForm(forms.ModelForm):
    class Meta:
        model = Break
        fields = ["label", "starts_at", "ends_at"]
        labels = {"label": "What the break is", "starts_at": "Starts", "ends_at": "Ends"}
        help_texts = {"label": "For example, Lunch", "starts_at": TIME_HINT, "ends_at": TIME_HINT}
        error_messages = {
            "starts_at": {"required": "Enter the time the break starts"},
            "ends_at": {"required": "Enter the time the break ends"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = _helper(
            self,
            Field.text("label", field_width=Fluid.ONE_HALF),
            Field.text("starts_at", field_width=Fixed.FIVE),
            Field.text("ends_at", field_width=Fixed.FIVE),
            submit="Save break",
        )


class RequestTypeForm(forms.ModelForm):
    class Meta:
        model = RequestType
        fields = [
            "name",
            "order",
            "default_section",
            "needs_senior_decision",
            "needs_submission_form",
            "needs_guardians_feedback",
            "purpose",
            "carries_amounts",
            "delegation_limit",
        ]
        labels = {"name": "Request type", "order": "Position in the list"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.fields["default_section"].queryset = self.instance.panel.sections.all()
        self.fields["default_section"].empty_label = "No usual section"
        self.helper = _helper(
            self,
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("order", field_width=Fixed.FIVE),
            Field.select("default_section"),
            Field.checkbox("needs_senior_decision"),
            Field.checkbox("needs_submission_form"),
            Field.checkbox("needs_guardians_feedback"),
            Field.radios("purpose", legend_size=Size.SMALL),
            Field.checkbox("carries_amounts"),
            Field.text("delegation_limit", field_width=Fixed.TEN, prefix="£"),
            submit="Save request type",
        )


class DocumentRequirementForm(forms.ModelForm):
    class Meta:
        model = DocumentRequirement
        fields = ["name", "request_type", "required", "note", "order"]
        labels = {
            "name": "Document",
            "request_type": "Needed for",
            "required": "Always needed",
            "order": "Position in the list",
        }
        help_texts = {"required": "Untick when it is needed only sometimes, and say when below."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.fields["request_type"].queryset = self.instance.panel.request_types.all()
        self.fields["request_type"].empty_label = "Every request"
        self.helper = _helper(
            self,
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.select("request_type"),
            Field.checkbox("required"),
            Field.text("note", field_width=Fluid.TWO_THIRDS),
            Field.text("order", field_width=Fixed.FIVE),
            submit="Save document",
        )


class PanelMembershipForm(forms.ModelForm):
    class Meta:
        model = PanelMembership
        fields = ["role_on_panel", "user", "attendance", "order"]
        labels = {"role_on_panel": "Role on the panel", "order": "Position in the list"}
        help_texts = {"user": "Leave empty while the seat is vacant"}
        widgets = {"attendance": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.fields["user"].queryset = selectors.people()
        self.fields["user"].empty_label = "Vacant"
        self.helper = _helper(
            self,
            Field.text("role_on_panel", field_width=Fluid.TWO_THIRDS),
            Field.select("user"),
            Field.radios("attendance", legend_size=Size.SMALL),
            Field.text("order", field_width=Fixed.FIVE),
            submit="Save member",
        )


class ScheduleMeetingsForm(forms.Form):
    start = DateField(label="First date", help_text="For example, 1 1 2027")
    end = DateField(label="Last date", help_text="At most a year after the first date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("start"), Field("end"), Submit("submit", "Schedule meetings")
        )


class MeetingForm(forms.ModelForm):
    date = DateField(label="Date", help_text="It must be a working day")
    online_link = forms.URLField(label="Online meeting link", required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["date", "starts_at", "ends_at", "venue", "online_link", "theme"]
        labels = {"starts_at": "Starts at", "ends_at": "Ends at"}
        help_texts = {"starts_at": "For example, 09:30", "ends_at": "For example, 12:30"}
        error_messages = {
            "starts_at": {"required": "Enter the time the meeting starts"},
            "ends_at": {"required": "Enter the time the meeting ends"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        if not self.instance.panel.has_thematic_item:
            del self.fields["theme"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("date"),
            Field.text("starts_at", field_width=Fixed.FIVE),
            Field.text("ends_at", field_width=Fixed.FIVE),
            Field.text("venue", field_width=Fluid.TWO_THIRDS),
            Field.text("online_link", field_width=Fluid.TWO_THIRDS),
            *(
                [Field.text("theme", field_width=Fluid.TWO_THIRDS)]
                if "theme" in self.fields
                else []
            ),
            Submit("submit", "Save meeting"),
        )

    def validate_unique(self):
        """The service explains a clash with another meeting."""


class MeetingThemeForm(forms.ModelForm):
    """The chair gives the month's theme (Lancashire's agenda item 5)."""

    class Meta:
        model = Meeting
        fields = ["theme"]
        labels = {"theme": "What is the theme for this month's panel?"}
        help_texts = {
            "theme": "For example, Life story work. The agenda shows it in place of "
            "“To be confirmed”."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].required = True
        self.fields["theme"].error_messages["required"] = "Enter the theme for the month"
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("theme", field_width=Fluid.TWO_THIRDS), Submit("submit", "Save the theme")
        )


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        max_length=longest(Meeting, "cancelled_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    move_bookings_to = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="Where should its bookings go?",
        empty_label="The panel's waiting list",
        help_text="Children who do not fit in the meeting you choose go on the waiting list.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        has_bookings = meeting.bookings.filter(status=BookingStatus.BOOKED).exists()
        if has_bookings:
            self.fields["move_bookings_to"].queryset = (
                meeting.panel.meetings.filter(
                    status=MeetingStatus.SCHEDULED, date__gte=timezone.localdate()
                )
                .exclude(pk=meeting.pk)
                .order_by("date")
            )
            self.fields["move_bookings_to"].label_from_instance = lambda m: date_format(m.date)
        else:
            del self.fields["move_bookings_to"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            textarea(self, "reason"),
            *([Field.select("move_bookings_to")] if has_bookings else []),
            Submit("submit", "Cancel meeting", css_class="govuk-button--warning"),
        )
