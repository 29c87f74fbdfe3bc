"""An amount of money on a request."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms

from permanence.forms import name_required_fields

from ..models import AmountPeriod, BookingAmount
from .panels import _helper


class BookingAmountForm(forms.ModelForm):
    class Meta:
        model = BookingAmount
        fields = ["description", "amount", "period"]
        labels = {"description": "What the amount is for", "period": "How often"}
        help_texts = {
            "description": "For example: SGO allowance, or the celebration event.",
            "amount": "In pounds and pence, for example 285.50.",
        }
        widgets = {"period": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio for each period, without the empty choice a model's field offers.
        self.fields["period"].choices = AmountPeriod.choices
        name_required_fields(self)
        self.helper = _helper(
            self,
            Field.text("description", field_width=Fluid.TWO_THIRDS),
            Field.text("amount", field_width=Fixed.TEN, prefix="£"),
            Field.radios("period", legend_size=Size.SMALL, inline=True),
            submit="Add the amount",
        )
