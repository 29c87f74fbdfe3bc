from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from .fields import DateField
from .models import ClosureDay, Team
from .roles import Role
from .versions import EditConflict


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Sign in"),
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS), Submit("submit", "Send reset link")
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Set password"),
        )


class ClosureDayForm(forms.ModelForm):
    date = DateField(label="Date the council is closed", help_text="For example, 29 12 2026")

    class Meta:
        model = ClosureDay
        fields = ["date", "description"]
        labels = {"description": "Reason"}
        help_texts = {"description": "For example, Christmas closure"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("date"),
            Field.text("description", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Add closure day"),
        )

    def validate_unique(self):
        """The service reports a duplicate date in the council's words."""


class VersionField(forms.IntegerField):
    """The version of the record the form was opened at, carried in the page so that the
    service can tell whether someone else saved it since (permanence.versions)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_value=0,
            max_value=2_147_483_647,
            error_messages={"invalid": "This page is out of date: open it again."},
            **kwargs,
        )


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has that
    field, otherwise in the error summary as a whole.

    When someone else saved the record since the form was opened, the page keeps what this
    person entered and now carries the record's new version: saving again is their choice,
    made having read the other's change."""
    if isinstance(error, EditConflict) and "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = error.version
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def error_links(*forms_) -> list[dict]:
    """Every error on these forms for the GOV.UK error summary, as {"text", "href"}: a
    field's errors link to its first box, the form's own errors link nowhere."""
    links = []
    for form in forms_:
        links += [{"text": message, "href": ""} for message in form.non_field_errors()]
        for field in form:
            href = f"#{_first_box(field)}"
            links += [{"text": message, "href": href} for message in field.errors]
    return links


def _first_box(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_1"  # crispy-forms-gds numbers the options from 1
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_0"  # a date's day box
    return field.auto_id


def govuk_class(widget, *, error: bool = False) -> str:
    """The GOV.UK class of a field drawn by a short template loop rather than by crispy:
    a select or an input, marked in error."""
    kind = "govuk-select" if isinstance(widget, forms.Select) else "govuk-input"
    return f"{kind} {kind}--error" if error else kind


def longest(model, name: str) -> int:
    """A free-text field's limit, read from the model, so the form and the database agree."""
    return model._meta.get_field(name).max_length


def textarea(form, name: str, **kwargs) -> Field:
    """A textarea with the GOV.UK character count for its field's limit, and the Design
    System's message when the text is too long. The count replaces the browser's maxlength,
    which would silently cut off a long paste."""
    field = form.fields[name]
    label = str(field.label or name.replace("_", " ").capitalize())
    what = "Your answer" if label.endswith("?") else label
    field.error_messages["max_length"] = f"{what} must be {field.max_length:,} characters or fewer"
    # crispy-forms-gds 2.0.1 adds the count's id to aria-describedby, and fails with a
    # KeyError when a field has no hint to describe it already.
    field.widget.attrs.setdefault("aria-describedby", "")
    return Field.textarea(name, max_characters=field.max_length, **kwargs)


_QUESTION_WORDS = {"how", "what", "when", "where", "which", "who", "why"}


def name_required_fields(form) -> None:
    """Give each required field a message that names it, where the form has not written its
    own: Django's "This field is required." says nothing in an error summary."""
    default = forms.Field.default_error_messages["required"]
    for name, field in form.fields.items():
        if field.error_messages.get("required") != default:
            continue
        label = str(field.label or name.replace("_", " "))
        verb = "Choose" if isinstance(field.widget, forms.Select | forms.RadioSelect) else "Enter"
        first, _, rest = label.partition(" ")
        if label.endswith("?"):
            verb, words = "Answer", f"“{label}”"
        elif first.lower() in _QUESTION_WORDS:
            words = f"{first.lower()} {rest}".strip()
        elif len(label.split()) > 4:  # a phrase, not a name for the thing: quoted whole
            words = f"“{label}”"
        elif first.isupper() and len(first) > 1:  # an initialism, such as IRO
            words = f"the {label}"
        else:
            words = f"the {label[0].lower()}{label[1:]}"
        field.error_messages["required"] = f"{verb} {words}"


class PersonForm(forms.Form):
    """A person's details and roles, as an administrator adds or changes them."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter their first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter their last name"},
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
        help_text="They sign in with it, and the service's emails go to it",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=150,
        required=False,
        help_text="For example, Assistant Executive Director",
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Seats on panels are given on the person's page.",
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.all(),
        required=False,
        empty_label="No team",
        help_text="Social workers and team managers see their team's children",
    )
    new_team = forms.CharField(
        label="Or a new team",
        max_length=100,
        required=False,
        help_text="Only if their team is not in the list",
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("roles"),
            Field.select("team"),
            Field.text("new_team", field_width=Fluid.ONE_HALF),
            Submit("submit", submit),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("team") and cleaned.get("new_team", "").strip():
            self.add_error("new_team", "Choose a team from the list or name a new one, not both.")
        return cleaned


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=100)
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("active", "Active"), ("deactivated", "Deactivated"), ("all", "Everyone")],
    )
