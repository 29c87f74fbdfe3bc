"""One row of the tracking page: a child's tracking review, compact enough to work down
forty children by keyboard. Its choices are read once for the page, not once a row."""

from django import forms

from permanence.fields import TypedDateField
from permanence.forms import govuk_class, longest
from tracker.codes import ReviewUnit

from ..models import Decision, PanelAction
from .recording import comes_back_initial

NOTE_MAX = 1000


class TrackingReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", error_messages={"required": "Choose an outcome."})
    note = forms.CharField(label="Note", required=False, max_length=NOTE_MAX)
    action_description = forms.CharField(
        label="New action",
        required=False,
        max_length=longest(PanelAction, "description"),
    )
    action_owner = forms.ChoiceField(label="Who does it", required=False)
    action_due = TypedDateField(
        label="Due by", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comes_back_every = forms.IntegerField(
        label="Comes back every", required=False, min_value=1, max_value=104
    )
    comes_back_unit = forms.ChoiceField(
        label="Weeks or months", required=False, choices=[("", "–"), *ReviewUnit.choices]
    )
    comes_back_by = TypedDateField(
        label="Or by", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    escalate_as = forms.ChoiceField(label="If escalated, as", required=False)

    def __init__(self, *args, booking, outcomes, owners, requests, **kwargs):
        self.booking = booking
        decision = getattr(booking, "decision", None)
        if decision is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(decision)
        elif "initial" not in kwargs:
            kwargs["initial"] = comes_back_initial(booking.child)
        super().__init__(*args, prefix=f"row-{booking.pk}", **kwargs)
        self.outcomes, self.owners, self.requests = outcomes, owners, requests
        self.fields["outcome"].choices = [("", "Choose"), *((o.pk, o.name) for o in outcomes)]
        self.fields["action_owner"].choices = [("", "Choose"), *((u.pk, str(u)) for u in owners)]
        self.fields["escalate_as"].choices = [("", "–"), *((r.pk, r.name) for r in requests)]
        for name, field in self.fields.items():
            css = govuk_class(field.widget, error=self.is_bound and name in self.errors)
            field.widget.attrs.update({"class": css, "aria-describedby": f"child-{booking.pk}"})

    @staticmethod
    def initial_from(decision: Decision) -> dict:
        forward = decision.forward_booking
        return {
            "outcome": decision.outcome_id,
            "note": decision.rationale,
            "comes_back_every": decision.comes_back_every,
            "comes_back_unit": decision.comes_back_unit,
            "comes_back_by": decision.comes_back_by,
            **({"escalate_as": forward.request_type_id} if forward else {}),
        }

    def clean(self):
        cleaned = super().clean()
        action = [
            cleaned.get(name) for name in ("action_description", "action_owner", "action_due")
        ]
        if any(action) and not all(action):
            for name, message in (
                ("action_description", "Say what is to be done."),
                ("action_owner", "Choose who does the action."),
                ("action_due", "Give the date the action is due."),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        by_pk = {str(o.pk): o for o in self.outcomes}
        owners = {str(u.pk): u for u in self.owners}
        requests = {str(r.pk): r for r in self.requests}
        action = None
        if data["action_description"]:
            action = {
                "description": data["action_description"],
                "owner": owners[data["action_owner"]],
                "due_date": data["action_due"],
            }
        return {
            "outcome": by_pk[data["outcome"]],
            "note": data["note"],
            "comes_back_every": data["comes_back_every"],
            "comes_back_unit": data["comes_back_unit"],
            "comes_back_by": data["comes_back_by"],
            "escalate_as": requests.get(data["escalate_as"]),
            "action": action,
        }
