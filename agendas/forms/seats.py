from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from ..services import CHAIR, DEPUTY, Place


class PersonSeatsForm(forms.Form):
    """One person's place on every panel: whether they chair it, and which seat they hold."""

    def __init__(self, *args, person, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.panels = panels
        fieldsets = []
        for panel in panels:
            chairing, seat = f"chairing_{panel.pk}", f"seat_{panel.pk}"
            self.fields[chairing] = forms.ChoiceField(
                label="Chairing",
                required=False,
                widget=forms.RadioSelect,
                choices=[
                    ("", "Does not chair"),
                    (CHAIR, "Joint chair" if panel.deputy_is_joint_chair else "Chair"),
                    (DEPUTY, "Second joint chair" if panel.deputy_is_joint_chair else "Deputy"),
                ],
                initial=CHAIR
                if panel.chair_id == person.pk
                else DEPUTY
                if panel.deputy_chair_id == person.pk
                else "",
            )
            seats = list(panel.memberships.all())
            self.fields[seat] = forms.TypedChoiceField(
                label="Seat",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "No seat"), *((s.pk, _seat_label(s, person)) for s in seats)],
                initial=next((s.pk for s in seats if s.user_id == person.pk), ""),
            )
            fieldsets.append(
                Fieldset(
                    Field.radios(chairing, inline=True, legend_size=Size.SMALL),
                    Field.select(seat),
                    legend=panel.name,
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(*fieldsets, Submit("submit", "Save seats"))

    def places(self) -> dict:
        places = {}
        for panel in self.panels:
            seat_pk = self.cleaned_data[f"seat_{panel.pk}"]
            seat = next((s for s in panel.memberships.all() if s.pk == seat_pk), None)
            places[panel] = Place(chairing=self.cleaned_data[f"chairing_{panel.pk}"], seat=seat)
        return places


def _seat_label(seat, person) -> str:
    if seat.user_id is None:
        return f"{seat.role_on_panel} (vacant)"
    if seat.user_id == person.pk:
        return seat.role_on_panel
    return f"{seat.role_on_panel} (now {seat.user})"
