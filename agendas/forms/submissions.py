"""The social worker's panel submission: the form itself, and uploading its documents."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings

from permanence.forms import VersionField, name_required_fields, textarea

from .. import selectors, uploads
from ..models import Booking, DocumentRequirement, Submission

SUBMISSION_QUESTIONS = {
    "reason_for_presentation": (
        "Reason for presentation",
        "Why the child is coming to panel now",
    ),
    "current_plan": (
        "Current plan and contingency",
        "The plan for permanence, and the plan should it not be achieved",
    ),
    "progress_since_last_panel": (
        "Progress since the last panel",
        "The actions panel set last time and what has happened. "
        "If the child has not been to panel before, say so.",
    ),
    "barriers_to_permanence": (
        "Barriers to permanence",
        "Anything causing drift or delay, and what is being done about it",
    ),
    "wishes_and_feelings": (
        "The child's wishes and feelings",
        "In the child's own words where you can",
    ),
    "ask_of_panel": (
        "What is asked of panel",
        "The decision, agreement or advice you need from panel",
    ),
    "financial_implications": (
        "Financial implications",
        "Costs panel is asked to agree. If there are none, say so.",
    ),
}


class SubmissionForm(forms.ModelForm):
    """Every question may be left blank while the social worker saves and comes back."""

    version = VersionField()

    class Meta:
        model = Submission
        fields = list(Submission.FORM_FIELDS)
        labels = {name: label for name, (label, _) in SUBMISSION_QUESTIONS.items()}
        help_texts = {name: hint for name, (_, hint) in SUBMISSION_QUESTIONS.items()}
        widgets = {name: forms.Textarea for name in Submission.FORM_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *(
                textarea(self, name, label_size=Size.SMALL, rows=6)
                for name in Submission.FORM_FIELDS
            ),
            Field("version"),
            Submit("save", "Save and come back later"),
        )


class DocumentUploadForm(forms.Form):
    """One file for one of the documents panel asks for, or for another document.

    The file's type and size are the service's to check: its messages say what is wrong in
    the panel's words, including for an empty file.
    """

    requirement = forms.ModelChoiceField(
        queryset=DocumentRequirement.objects.none(),
        required=False,
        label="Which document is this?",
        empty_label="Another document",
    )
    file = forms.FileField(
        label="Upload a file",
        allow_empty_file=True,
        error_messages={"required": "Select the file to upload."},
    )

    def __init__(
        self, *args, booking: Booking, preselected: DocumentRequirement | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        requirement = self.fields["requirement"]
        requirement.queryset = selectors.documents_required(booking)
        self.preselected = preselected
        if preselected is not None:
            # Coming from a line of the checklist: the document is already chosen.
            self.initial.setdefault("requirement", preselected.pk)
            requirement.widget = forms.HiddenInput()
        file = self.fields["file"]
        # Said before the upload, so nobody waits for one that will be refused.
        file.help_text = (
            f"{uploads.ACCEPTED_IN_WORDS}, up to {settings.SUBMISSION_MAX_UPLOAD_MB} MB, "
            "without a password or macros"
        )
        file.widget.attrs["accept"] = ",".join(
            [f".{extension}" for extension in uploads.ACCEPTED] + [".jpeg"]
        )
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field("requirement") if preselected else Field.select("requirement"),
            Field("file"),
            Submit("upload", "Upload document"),
        )
