"""Answering a child's planning questions (Somerset 3.1): in the submission for a booking
(the social worker, their team manager or an administrator), or from the tracker (the
administrator, from the child's page). One form; the answers are the child's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin
from tracker.selectors import visible_children

from .. import selectors, services
from ..forms import PlanningAnswersForm, PlanningQuestionForm
from ..models import PlanningQuestion
from ..permissions import can_answer_planning_questions_for
from .panels import PanelPartDeleteView, PanelPartFormView
from .submissions import SubmissionEditorMixin


class PlanningAnswersMixin:
    template_name = "agendas/planning_answers.html"
    booking = None

    @cached_property
    def checklist(self):
        return selectors.planning_checklist(self.child, self.panel)

    def get_form(self, form_class=None):
        return PlanningAnswersForm(
            **self.get_form_kwargs(), checklist=self.checklist, submit_label="Save answers"
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("booking", self.booking)
        return super().get_context_data(
            child=self.child, panel=self.panel, back=self.back_url(), **kwargs
        )

    def form_valid(self, form):
        answers = {question: services.Answer(**given) for question, given in form.answers().items()}
        try:
            changed = services.planning_answers_save(
                child=self.child, answers=answers, by=self.request.user, booking=self.booking
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        answers_changed = f"{changed} answer{'' if changed == 1 else 's'} changed"
        messages.success(self.request, f"Planning questions saved: {answers_changed}.")
        return redirect(self.back_url())


class BookingPlanningAnswersView(SubmissionEditorMixin, PlanningAnswersMixin, FormView):
    """In the submission: the booking's panel's questions."""

    @property
    def child(self):
        return self.booking.child

    @property
    def panel(self):
        return self.booking.panel

    def back_url(self) -> str:
        return reverse("bookings:detail", args=[self.booking.pk])


class ChildPlanningAnswersView(
    AuditedMixin, PermissionRequiredMixin, PlanningAnswersMixin, FormView
):
    """From the tracker: the questions of the panel that tracks the child."""

    audit_model = "tracker.Child"
    audit_child = ""
    permission = can_answer_planning_questions_for

    @cached_property
    def child(self):
        children = visible_children(self.request.user).select_related("panel")
        return get_object_or_404(children, pk=self.kwargs["pk"])

    def permission_object(self):
        return self.child

    @property
    def panel(self):
        return self.child.panel

    def back_url(self) -> str:
        return reverse("tracker:child", args=[self.child.pk])


# The questions themselves, on the panel's set-up page -----------------------------------


class PlanningQuestionMixin:
    model = PlanningQuestion
    form_class = PlanningQuestionForm
    noun = "planning question"
    anchor = "planning-questions"


class PlanningQuestionCreateView(PlanningQuestionMixin, PanelPartFormView):
    def get_initial(self):
        return {"order": self.panel.planning_questions.count() + 1}

    def save(self, fields):
        return services.planning_question_create(panel=self.panel, **fields)


class PlanningQuestionUpdateView(PlanningQuestionMixin, PanelPartFormView):
    def save(self, fields):
        return services.planning_question_update(question=self.part, **fields)


class PlanningQuestionDeleteView(PlanningQuestionMixin, PanelPartDeleteView):
    consequence = "Every child's answer to it is removed too."

    def delete(self, part):
        services.planning_question_delete(question=part)
