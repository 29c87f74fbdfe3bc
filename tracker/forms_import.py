from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ChildrenImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )
    create_teams = forms.BooleanField(
        label="Create new teams",
        required=False,
        help_text="Add each team the file names that is not in the service yet. Leave this "
        "unticked to be told about team names that do not match, such as a misspelling.",
    )
    dry_run = forms.BooleanField(label="Check the file without saving", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_html(
            "One child a row, with the column names in the first row. Dates as YYYY-MM-DD or "
            'DD/MM/YYYY. Up to 10MB. <a class="govuk-link" href="{}">Download the template '
            "CSV</a> (the column names only).",
            reverse("tracker:import-template"),
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("file", context={"label_size": Size.for_label("m")}),
            Field.checkbox("create_teams"),
            Field.checkbox("dry_run"),
            Submit("submit", "Import children"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        return upload
