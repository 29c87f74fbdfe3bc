from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.views.generic import TemplateView, View

from ..audit import AuditedMixin
from ..permissions import PermissionRequiredMixin, can_view_job
from .kinds import kind_of
from .models import Job
from .services import job_progress


class JobMixin(AuditedMixin, PermissionRequiredMixin):
    permission = can_view_job

    def permission_object(self):
        if not hasattr(self, "job"):
            self.job = job_progress(
                get_object_or_404(
                    Job.objects.select_related("requested_by"), public_id=self.kwargs["job"]
                )
            )
        return self.job


class JobView(JobMixin, TemplateView):
    """A job's progress while it runs, then its result; the page follows the job by itself
    (static/js/job-progress.js) and without JavaScript the person refreshes it."""

    template_name = "permanence/jobs/job.html"

    def get_context_data(self, **kwargs):
        # Not the URL's own `job` (the public id): the job itself.
        return super().get_context_data(job=self.job, kind=kind_of(self.job.kind))


class JobStatusView(JobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.job
        return JsonResponse(
            {
                "state": job.state,
                "state_label": job.get_state_display(),
                "working": job.is_working,
                "done": job.done,
                "total": job.total,
                "label": job.progress_label,
            }
        )


def followed(text: str, job: Job | None, *, what: str) -> str:
    """A success message that links to the background job it started, if it still runs."""
    if job is None:
        return text
    return format_html(
        '{} {} in the background: <a class="govuk-link" href="{}">follow its progress</a>.',
        text,
        what,
        reverse("job", args=[job.public_id]),
    )
