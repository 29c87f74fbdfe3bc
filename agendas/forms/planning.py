"""The planning questions as a form: for each question yes, no or not applicable, a date
where the question has one, and a note."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Div, Field, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.utils.html import format_html

from permanence.fields import DateField
from permanence.forms import textarea

from ..models import KeyDate, PlanningAnswer, PlanningAnswerChoice, PlanningQuestion
from ..selectors import Checklist


def _name(question) -> str:
    return f"question_{question.pk}"


class PlanningAnswersForm(forms.Form):
    def __init__(self, *args, checklist: Checklist, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        layout = []
        for number, row in enumerate(checklist.rows, 1):
            question, answer = row.question, row.answer
            name = _name(question)
            self.fields[name] = forms.ChoiceField(
                label=question.text,
                choices=PlanningAnswerChoice.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            parts = [Field.radios(name, legend_size=Size.SMALL, inline=True)]
            if question.date_label:
                self.fields[f"{name}_date"] = DateField(
                    label=question.date_label, required=False, help_text="For example, 27 3 2026"
                )
                parts.append(Field(f"{name}_date"))
            note_limit = PlanningAnswer._meta.get_field("note").max_length
            self.fields[f"{name}_note"] = forms.CharField(
                label="Note", required=False, max_length=note_limit, widget=forms.Textarea
            )
            parts.append(textarea(self, f"{name}_note", label_size=Size.SMALL, rows=2))
            if answer is not None:
                self.initial[name] = answer.answer
                self.initial[f"{name}_date"] = answer.on_date
                self.initial[f"{name}_note"] = answer.note
            layout.append(
                Div(
                    HTML(format_html('<h2 class="govuk-heading-m">Question {}</h2>', number)),
                    *parts,
                    css_class="app-planning-question",
                )
            )
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*layout, Submit("save", submit_label))

    def answers(self) -> dict:
        """Each question's answer, as `services.Answer`'s fields."""
        data = self.cleaned_data
        return {
            row.question: {
                "answer": data.get(_name(row.question)) or "",
                "on_date": data.get(f"{_name(row.question)}_date"),
                "note": data.get(f"{_name(row.question)}_note") or "",
            }
            for row in self.checklist.rows
        }


class PlanningQuestionForm(forms.ModelForm):
    """One of a panel's planning questions, on the panel's set-up page."""

    class Meta:
        model = PlanningQuestion
        fields = ["text", "date_label", "records_key_date", "no_is_concern", "order"]
        labels = {"text": "Question", "order": "Position in the list"}
        widgets = {"order": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records_key_date"].choices = [("", "Nothing"), *KeyDate.choices]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("text", field_width=Fluid.FULL),
            Field.text("date_label", field_width=Fluid.TWO_THIRDS),
            Field.select("records_key_date"),
            Field.checkbox("no_is_concern"),
            Field.text("order", field_width=Fixed.FIVE),
            Submit("save", "Save question"),
        )
