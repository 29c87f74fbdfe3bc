from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from .forms_import import MAX_UPLOAD_BYTES

# The return's CSV tables are five files at most; one more is refused by name, not read.
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReturnFilesField(forms.FileField):
    """One XML file or the CSV tables, chosen together (Django's own multiple-file recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.xml,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(ReturnFilesField, self).clean(upload, initial) for upload in uploads]


class Ssda903UploadForm(forms.Form):
    files = ReturnFilesField(
        label="Upload the SSDA903 return",
        help_text="One XML file, or the CSV tables: header and episodes, and reviews, "
        "placed_for_adoption and ad1 if you have them. Choose them all at once. Up to 10MB each.",
        error_messages={
            "required": "Select the return's XML file or its CSV tables",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("files", context={"label_size": Size.for_label("m")}),
            Submit("submit", "Check the return"),
        )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(
                f"Select at most {MAX_FILES} files: one XML file, or the return's CSV tables"
            )
        for upload in uploads:
            if not upload.name.lower().endswith((".csv", ".xml")):
                raise forms.ValidationError(f"{upload.name} must be a CSV or XML file")
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(f"{upload.name} must be smaller than 10MB")
        return uploads
