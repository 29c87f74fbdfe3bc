"""My actions: what panel gave each person to do, and completing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors

from .. import selectors, services
from ..forms.after import ActionCompleteForm


class MyActionsView(AuditedMixin, TemplateView):
    template_name = "minutes/my_actions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            actions=selectors.actions_of(self.request.user), today=timezone.localdate(), **kwargs
        )


class ActionCompleteView(FormView):
    template_name = "minutes/action_complete.html"
    form_class = ActionCompleteForm

    @cached_property
    def action(self):
        # Only the action's owner completes it; to anyone else it does not exist.
        return get_object_or_404(selectors.actions_of(self.request.user), pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if self.action.completed_at:
            messages.error(request, "This action is already completed.")
            return redirect("minutes:my-actions")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, **kwargs)

    def form_valid(self, form):
        try:
            services.action_complete(action=self.action, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The action is completed.")
        return redirect("minutes:my-actions")


# Emergency decisions -------------------------------------------------------------------
