"""The referral form (short: who, what happened, when), and the administrator's answers."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from permanence.fields import DateField
from permanence.forms import longest, name_required_fields, textarea
from permanence.models import Team

from .codes import LegalStatus
from .models import Referral, ReferralKind
from .reverse_relations import panel_model


class ReferralForm(forms.Form):
    case_number = forms.CharField(
        label="Case number",
        max_length=longest(Referral, "case_number"),
        help_text="As on the council's case management system (LCS)",
    )
    first_name = forms.CharField(label="First name", max_length=longest(Referral, "first_name"))
    last_name = forms.CharField(label="Last name", max_length=longest(Referral, "last_name"))
    date_of_birth = DateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2019"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="My team", label="Team"
    )
    kind = forms.ChoiceField(
        label="What happened?",
        choices=ReferralKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    happened_on = DateField(
        label="The date it happened",
        help_text="The day the child became looked after, pre-proceedings started, "
        "proceedings were issued or the legal status changed",
    )
    legal_status = forms.ChoiceField(
        label="New legal status",
        required=False,
        choices=[("", "Not known or unchanged"), *LegalStatus.choices],
        help_text="Needed for a change in the legal process",
    )
    note = forms.CharField(
        label="Note for the panel administrator",
        required=False,
        max_length=longest(Referral, "note"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                Field.text("case_number", field_width=Fluid.ONE_THIRD),
                Field.text("first_name", field_width=Fluid.ONE_HALF),
                Field.text("last_name", field_width=Fluid.ONE_HALF),
                Field("date_of_birth"),
                Field.select("team"),
                legend="The child",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field("happened_on"),
            Field.select("legal_status"),
            textarea(self, "note"),
            Submit("submit", "Send referral"),
        )


class ReferralAcceptForm(forms.Form):
    """Which panel tracks the child: asked when the child has none yet."""

    panel = forms.ModelChoiceField(
        queryset=None,
        label="Which panel tracks the child?",
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, needs_panel: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panel_model().objects.order_by("name")
        if not needs_panel:
            del self.fields["panel"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *([Field.radios("panel", legend_size=Size.MEDIUM)] if needs_panel else []),
            Submit("submit", "Accept and add to the tracker"),
        )


class ReferralDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why is the referral declined?",
        max_length=longest(Referral, "declined_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a duplicate of another referral, or sent in error. "
        "The sender sees it.",
        error_messages={"required": "Say why the referral is declined."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            textarea(self, "reason"),
            Submit("submit", "Decline referral", css_class="govuk-button--warning"),
        )
