"""The SSDA903 return, uploaded by an administrator: checked in the background (a dry run),
then imported from the same files; each job's page follows it and shows the report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView

from permanence.audit import AuditedMixin
from permanence.jobs.models import Job, JobState
from permanence.permissions import PermissionRequiredMixin
from permanence.spreadsheets import table_response

from ..forms_ssda903 import Ssda903UploadForm
from ..jobs import SSDA903, ssda903_dry_run_start, ssda903_import_start
from ..permissions import can_manage_children


class Ssda903View(PermissionRequiredMixin, FormView):
    permission = can_manage_children
    template_name = "tracker/ssda903.html"
    form_class = Ssda903UploadForm

    def get_context_data(self, **kwargs):
        recent = Job.objects.filter(kind=SSDA903).select_related("requested_by")[:5]
        return super().get_context_data(recent=recent, **kwargs)

    def form_valid(self, form):
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        try:
            job = ssda903_dry_run_start(files=files, by=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect("job", job.public_id)


class Ssda903ImportView(PermissionRequiredMixin, View):
    """The button under a dry run's report: import the return it checked."""

    permission = can_manage_children
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        dry_run = get_object_or_404(Job, public_id=self.kwargs["job"], kind=SSDA903)
        try:
            job = ssda903_import_start(dry_run=dry_run, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("job", dry_run.public_id)
        return redirect("job", job.public_id)


class Ssda903ReportView(AuditedMixin, PermissionRequiredMixin, View):
    """Every change a check or an import of the return found, child by child and field by
    field, as a CSV: the page shows the first children only, to stay light."""

    permission = can_manage_children

    def get(self, request, *args, **kwargs):
        job = get_object_or_404(
            Job, public_id=self.kwargs["job"], kind=SSDA903, state=JobState.SUCCEEDED
        )
        result = job.result
        rows = [
            [child["case_number"], "yes" if child["created"] else "", label, was, now]
            for child in result.get("changed", [])
            for label, was, now in child["changes"]
        ]
        checked = "check" if result.get("dry_run") else "import"
        return table_response(
            columns=(
                "case_number",
                "new_child",
                "field",
                "was",
                "would_be" if result.get("dry_run") else "now",
            ),
            rows=rows,
            filename=f"ssda903-{checked}-{job.requested_at:%Y-%m-%d-%H%M}",
            file_format="csv",
        )
