"""The chair's verdict on each amount of a request panel agreed."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Size
from django import forms
from django.utils.html import format_html

from agendas.models import AmountVerdict, BookingAmount
from permanence.forms import name_required_fields

VERDICTS = [choice for choice in AmountVerdict.choices if choice[0]]


class AmountVerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=VERDICTS, widget=forms.RadioSelect)
    approved_amount = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def __init__(self, *args, amount: BookingAmount, **kwargs):
        initial = {
            "verdict": amount.verdict or AmountVerdict.APPROVED,
            "approved_amount": amount.approved_amount
            if amount.verdict == AmountVerdict.CHANGED
            else None,
        }
        super().__init__(*args, prefix=f"amount-{amount.pk}", initial=initial, **kwargs)
        self.amount = amount
        self.fields["verdict"].label = format_html(
            "{}: £{} {}",
            amount.description,
            f"{amount.amount:,.2f}",
            amount.get_period_display().lower(),
        )
        self.fields["approved_amount"].label = format_html(
            'Amount approved, in pounds<span class="govuk-visually-hidden"> for {}</span>',
            amount.description,
        )
        self.fields["approved_amount"].help_text = "Only when panel approves a changed amount."
        name_required_fields(self)
        self.fields["verdict"].error_messages["required"] = (
            f"Say whether panel approves, changes or refuses “{amount.description}”."
        )
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Field.radios("verdict", legend_size=Size.SMALL, small=True),
            Field.text("approved_amount", field_width=Fixed.TEN, prefix="£"),
        )
        self.helper = helper

    def service_row(self) -> dict:
        return {"amount": self.amount, **self.cleaned_data}
