"""A person's seats on every panel, changed from their page in People (administrators)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin

from .. import selectors, services
from ..forms.seats import PersonSeatsForm
from ..permissions import can_set_up_panels


class PersonSeatsView(PermissionRequiredMixin, FormView):
    permission = can_set_up_panels
    template_name = "agendas/person_seats.html"
    form_class = PersonSeatsForm

    @cached_property
    def person(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "person": self.person,
            "panels": list(selectors.panels_with_seats()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def form_valid(self, form):
        try:
            displaced = services.person_seats_set(person=self.person, places=form.places())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.person}'s panel seats are saved.")
        for line in displaced:
            messages.warning(self.request, line)
        return redirect("person", self.person.pk)
