from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Submit
from django import forms
from django.contrib.auth import authenticate, password_validation

from ..forms import name_required_fields


class CodeForm(forms.Form):
    """The second step of signing in."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows for this service, or one of "
        "your recovery codes",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args, submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's form also carries `next`
        self.helper.layout = Layout(
            Field.text("code", field_width=Fixed.TEN), Submit("submit", submit)
        )


class SetUpCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="Turn on two-factor sign-in", **kwargs)
        self.fields["code"].help_text = "The 6-digit code your app shows after you add the service"
        self.fields["code"].label = "Code from your app"


class PasswordAgainForm(forms.Form):
    """Confirm the password, checked through django-axes so that guesses here count
    towards the lockout as they do at sign-in."""

    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's form also carries `next`
        self.helper.layout = Layout(
            Field.text("password", field_width=Fluid.TWO_THIRDS), Submit("submit", "Continue")
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.email, password=password) != user:
            raise forms.ValidationError("The password is not right. Enter your password")
        return password


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        help_text=password_validation.password_validators_help_text_html,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Type the new password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("old_password", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Change password"),
        )

    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        user = self.request.user
        if authenticate(self.request, username=user.email, password=password) != user:
            raise forms.ValidationError("Your current password is not right. Enter it again")
        return password

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The two new passwords are different")
        return cleaned
