from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms
from django.db import models
from django.utils.text import capfirst

from permanence.fields import DateField
from permanence.forms import VersionField, name_required_fields
from permanence.roles import Role
from permanence.selectors import users_holding

from .models import Child

WHO = ["case_number", "first_name", "last_name", "date_of_birth", "sex", "sibling_group"]
ALLOCATION = ["team", "social_worker", "team_manager", "panel"]
LEGAL = [
    "looked_after_since",
    "legal_status",
    "pre_proceedings_start",
    "proceedings_issued",
    "final_order_date",
]
PLACEMENT = ["placement_type", "placement_start"]
REVIEWS = ["first_review_date", "second_review_date", "last_review_date"]
PLAN = ["primary_plan", "contingency_plan", "plan_agreed_date"]
ADOPTION = [
    "placement_order_date",
    "match_date",
    "placed_for_adoption_date",
    "adoption_application_date",
    "fostered_by_adopters_since",
]
CONNECTED_PERSON = ["temporary_approval_date", "temporary_approval_extended", "full_approval_date"]
PANEL = ["last_panel_date", "long_term_match_date", "permanence_secured_date"]
KEY_DATES = [
    "permanence_planning_meeting_date",
    "matching_meeting_date",
    "sibling_assessment_required_date",
    "sibling_assessment_completed_date",
]
AFTER_PERMANENCE = [
    "life_story_book_due_date",
    "life_story_book_done_date",
    "later_life_letter_due_date",
    "later_life_letter_done_date",
]

# What the child's own social worker and team manager may correct: what they record
# first-hand. Court dates, allocation and panel dates stay with the panel administrator.
CASEWORK_FIELDS = PLACEMENT + REVIEWS + PLAN
SECTIONS = [
    ("Child", WHO),
    ("Allocation", ALLOCATION),
    ("Legal status", LEGAL),
    ("Placement", PLACEMENT),
    ("Looked-after reviews", REVIEWS),
    ("Permanence plan", PLAN),
    ("Adoption", ADOPTION),
    ("Connected person", CONNECTED_PERSON),
    ("Panel and permanence", PANEL),
    ("Key planning dates", KEY_DATES),
    ("After permanence: life story and later-life letter", AFTER_PERMANENCE),
]


def _form_field(model_field, **kwargs):
    if isinstance(model_field, models.DateField):
        return DateField(
            label=capfirst(model_field.verbose_name),
            required=not model_field.blank,
            help_text=model_field.help_text,
        )
    return model_field.formfield(**kwargs)


def _layout_field(form, name):
    field = form.fields[name]
    if isinstance(field, DateField):
        return Field(name)
    if isinstance(field, forms.BooleanField):
        return Field.checkbox(name)
    if isinstance(field, forms.ChoiceField):
        return Field.select(name)
    width = Fluid.ONE_THIRD if name in ("case_number", "sibling_group") else Fluid.TWO_THIRDS
    return Field.text(name, field_width=width)


class ChildForm(forms.ModelForm):
    submit_label = "Save child"

    class Meta:
        model = Child
        fields = [name for _, names in SECTIONS for name in names]
        formfield_callback = _form_field
        labels = {"temporary_approval_extended": "Temporary approval extended (by up to 8 weeks)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        if self.instance.pk:
            self.fields["version"] = VersionField(initial=self.instance.version)
        if "social_worker" in self.fields:
            self.fields["social_worker"].queryset = users_holding(Role.SOCIAL_WORKER)
            self.fields["team_manager"].queryset = users_holding(Role.TEAM_MANAGER)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(
                Fieldset(
                    *(_layout_field(self, name) for name in names if name in self.fields),
                    legend=legend,
                    legend_size=Size.MEDIUM,
                )
                for legend, names in SECTIONS
                if any(name in self.fields for name in names)
            ),
            *([Field("version")] if "version" in self.fields else []),
            Submit("submit", self.submit_label),
        )

    def validate_unique(self):
        """The service reports clashes; a form must not half-check them."""


class CaseworkForm(ChildForm):
    class Meta(ChildForm.Meta):
        fields = CASEWORK_FIELDS
