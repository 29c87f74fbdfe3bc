from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, FormView

from permanence.access import RoleRequiredMixin
from permanence.roles import Role

from .. import selectors, services
from ..forms import ScheduleMeetingsForm
from ..models import Meeting, Panel


class ScheduleMeetingsView(RoleRequiredMixin, FormView):
    """Administrators create a run of meetings from the panel's cadence and see what to move."""

    allowed_roles = (Role.ADMINISTRATOR,)
    template_name = "agendas/schedule_meetings.html"
    form_class = ScheduleMeetingsForm

    def dispatch(self, request, *args, **kwargs):
        self.panel = get_object_or_404(Panel, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(panel=self.panel, **kwargs)

    def form_valid(self, form):
        try:
            result = services.meetings_schedule(panel=self.panel, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        # The result stays on the page: the dates to move need the administrator's eye.
        return self.render_to_response(self.get_context_data(form=form, result=result))


class MeetingDetailView(DetailView):
    template_name = "agendas/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.select_related("panel").filter(panel__slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        meeting = self.object
        return super().get_context_data(
            deadlines=selectors.panel_deadlines(panel=meeting.panel, meeting_date=meeting.date),
            today=timezone.localdate(),
            **kwargs,
        )
