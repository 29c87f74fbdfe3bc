"""The bookings page's filters: which bookings, and which panel's. A GET form, so a page of
the list is a link that can be kept, shared and gone back to."""

from django import forms

from ..models import Panel
from ..selectors import BookingsShown


class BookingListFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Show", required=False, choices=BookingsShown.choices, initial=BookingsShown.COMING
    )
    panel = forms.ModelChoiceField(
        label="Panel",
        required=False,
        queryset=Panel.objects.order_by("name").only("name", "slug"),
        to_field_name="slug",
        empty_label="All panels",
    )

    def filters(self) -> dict:
        """What to list: the form's choices, or every panel's bookings to come when a
        choice is not one the form offers."""
        found = self.cleaned_data if self.is_valid() else {}
        return {"shown": found.get("show") or BookingsShown.COMING, "panel": found.get("panel")}
