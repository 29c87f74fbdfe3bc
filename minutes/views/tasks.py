"""My tasks: what the signed-in person must do, and by when, with a link to each."""

from django.utils import timezone
from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.workdays import calendar

from .. import my_tasks


class MyTasksView(AuditedMixin, TemplateView):
    template_name = "minutes/my_tasks.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            tasks=my_tasks.tasks_of(self.request.user, today=today, working_days=calendar()),
            today=today,
            **kwargs,
        )
