from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.utils.formats import date_format

from permanence.forms import longest, name_required_fields, textarea
from permanence.roles import Role
from permanence.selectors import users_holding
from tracker.models import Child

from .. import selectors
from ..models import AgendaSection, Booking, Meeting, Panel

WAITING_LIST = "waiting"


class CaseNumberField(forms.CharField):
    """A child chosen by case number: the number the administrator has on the request."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Child's case number",
            max_length=30,
            error_messages={"required": "Enter the child's case number."},
            help_text="As on the tracker, for example 100234",
            **kwargs,
        )

    def clean(self, value):
        case_number = super().clean(value).strip()
        child = Child.objects.filter(case_number__iexact=case_number).first()
        if child is None:
            raise forms.ValidationError(f"No child on the tracker has case number {case_number}.")
        return child


def _sections(panel: Panel):
    return panel.sections.exclude(capacity=0)


def _people(role: Role, label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=users_holding(role),
        required=False,
        label=label,
        empty_label="The child's own",
        help_text="Leave as the child's own unless someone else is presenting",
    )


class BookingReasonFields(forms.Form):
    """Why a child is coming to panel, asked the same way wherever a child is booked."""

    reason = forms.CharField(
        label="Why is the child coming to panel?",
        max_length=longest(Booking, "reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the child is coming to panel."},
    )
    notes = forms.CharField(
        required=False,
        max_length=longest(Booking, "notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BookingForm(BookingReasonFields):
    child = CaseNumberField()
    request_type = forms.ModelChoiceField(queryset=None, label="Request")
    section = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Agenda section",
        empty_label="The request's usual section",
    )
    slot = forms.ModelChoiceField(
        queryset=None, required=False, label="Time slot", empty_label="The first free slot"
    )
    social_worker = _people(Role.SOCIAL_WORKER, "Social worker")
    team_manager = _people(Role.TEAM_MANAGER, "Team manager")

    field_order = [
        "child",
        "request_type",
        "section",
        "slot",
        "reason",
        "social_worker",
        "team_manager",
    ]

    def __init__(self, *args, meeting: Meeting, child: Child | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        panel = meeting.panel
        self.fields["request_type"].queryset = panel.request_types.all()
        self.fields["section"].queryset = _sections(panel)
        self.fields["slot"].queryset = selectors.free_slots(meeting).order_by(
            "starts_at", "section__order", "number"
        )
        self.fields["slot"].label_from_instance = _slot_label
        if child is not None:
            del self.fields["child"]
            self.child = child
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *([Field.text("child", field_width=Fluid.ONE_THIRD)] if child is None else []),
            Field.select("request_type"),
            Field.select("section"),
            Field.select("slot"),
            textarea(self, "reason"),
            Field.select("social_worker"),
            Field.select("team_manager"),
            textarea(self, "notes"),
            Submit("submit", "Book"),
        )

    def clean(self):
        cleaned = super().clean()
        if "child" not in self.fields:
            cleaned["child"] = self.child
        return cleaned


def _slot_label(slot) -> str:
    where = f" in {slot.section.name}" if slot.section else ""
    return f"{slot}{where}"


class BookingChangeForm(forms.ModelForm):
    class Meta:
        model = Booking
        fields = ["request_type", "reason", "social_worker", "team_manager", "notes"]
        labels = {"request_type": "Request", "reason": "Why is the child coming to panel?"}
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.fields["request_type"].queryset = self.instance.panel.request_types.all()
        self.fields["social_worker"].queryset = users_holding(Role.SOCIAL_WORKER)
        self.fields["team_manager"].queryset = users_holding(Role.TEAM_MANAGER)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("request_type"),
            textarea(self, "reason"),
            Field.select("social_worker"),
            Field.select("team_manager"),
            textarea(self, "notes"),
            Submit("submit", "Save booking"),
        )


def place_choices(meetings, section: AgendaSection, child, moving: Booking | None = None) -> list:
    """Where the booking can go: each meeting's free places in its section, by date.

    A value is "meeting:slot", or "meeting:" for a section that lists children without times.
    """
    choices = []
    for meeting in meetings:
        label = date_format(meeting.date)
        places = selectors.places_for(meeting=meeting, section=section, child=child, moving=moving)
        options = [
            (f"{meeting.pk}:{slot.pk if slot else ''}", f"{label}, {slot or section.name}")
            for slot in places
        ]
        if options:
            choices.append((label, options))
    return choices


def _parse_place(value: str) -> tuple[int | None, int | None]:
    if value == WAITING_LIST:
        return None, None
    meeting_pk, _, slot_pk = value.partition(":")
    return int(meeting_pk), int(slot_pk) if slot_pk else None


class BookingMoveForm(forms.Form):
    place = forms.ChoiceField(
        label="Move to", error_messages={"required": "Choose where the booking moves to"}
    )

    def __init__(self, *args, booking: Booking, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        section = booking.section or booking.request_type.default_section
        choices = place_choices(meetings, section, booking.child, booking) if section else []
        if booking.is_booked:
            choices.append(("Waiting list", [(WAITING_LIST, "Return to the waiting list")]))
        self.fields["place"].choices = choices
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("place"), Submit("submit", "Move booking"))

    def clean_place(self):
        return _parse_place(self.cleaned_data["place"])


class RequestTypeChoiceForm(forms.Form):
    """The first step of booking a child from their page: what panel is asked."""

    request_type = forms.ModelChoiceField(
        queryset=None, label="What is panel asked?", empty_label=None
    )

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.fields["request_type"].queryset = panel.request_types.exclude(
            default_section__capacity=0
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.radios("request_type", legend_size=Size.MEDIUM), Submit("continue", "Continue")
        )


class ChildBookingForm(BookingReasonFields):
    """The second step: where (the next available panel is chosen already) and why."""

    place = forms.ChoiceField(label="Panel meeting")
    field_order = ["place"]

    def __init__(self, *args, child: Child, section: AgendaSection | None, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        choices = place_choices(meetings, section, child) if section else []
        choices.append(("Waiting list", [(WAITING_LIST, "Put on the waiting list")]))
        self.fields["place"].choices = choices
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("place"),
            textarea(self, "reason"),
            textarea(self, "notes"),
            Submit("submit", "Book"),
        )

    def clean_place(self):
        return _parse_place(self.cleaned_data["place"])


class BookingCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the booking cancelled?",
        max_length=longest(Booking, "cancelled_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the booking is cancelled."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            textarea(self, "reason"),
            Submit("submit", "Cancel booking", css_class="govuk-button--warning"),
        )


class WaitingListForm(BookingReasonFields):
    child = CaseNumberField()
    request_type = forms.ModelChoiceField(queryset=None, label="Request")
    field_order = ["child", "request_type"]

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.fields["request_type"].queryset = panel.request_types.all()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("child", field_width=Fluid.ONE_THIRD),
            Field.select("request_type"),
            textarea(self, "reason"),
            textarea(self, "notes"),
            Submit("submit", "Add to the waiting list"),
        )
