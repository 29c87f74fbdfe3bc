"""Importing children from a spreadsheet: administrators only, all or nothing, as a
background job whose page shows the progress and then the problems or the summary."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView

from permanence.jobs.models import Job
from permanence.permissions import PermissionRequiredMixin

from .. import services
from ..forms_import import ChildrenImportForm
from ..importer import IMPORT_COLUMNS
from ..importer.referrals import REFERRAL_COLUMNS
from ..permissions import can_manage_children
from ..selectors import IMPORT_CHILDREN


class ImportView(PermissionRequiredMixin, FormView):
    permission = can_manage_children
    template_name = "tracker/import.html"
    form_class = ChildrenImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=IMPORT_COLUMNS, referral_columns=REFERRAL_COLUMNS.known, **kwargs
        )

    def form_valid(self, form):
        # Checked and saved in the background (tracker/jobs.py): a big file takes longer
        # than a request may, and the administrator can leave the page while it runs.
        job = services.children_import_start(
            by=self.request.user,
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            create_teams=form.cleaned_data["create_teams"],
        )
        return redirect("job", job=job.public_id)


class ImportConfirmView(PermissionRequiredMixin, View):
    """Import the file a dry run found clean: a button on the dry run's result."""

    permission = can_manage_children
    http_method_names = ["post"]

    def post(self, request, job):
        dry_run = get_object_or_404(Job, public_id=job, kind=IMPORT_CHILDREN)
        try:
            follow_up = services.children_import_confirm(dry_run=dry_run, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("job", job=dry_run.public_id)
        return redirect("job", job=follow_up.public_id)


class ImportTemplateView(PermissionRequiredMixin, View):
    permission = can_manage_children

    def get(self, request):
        response = HttpResponse(
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="children-import-template.csv"'},
        )
        csv.writer(response).writerow(IMPORT_COLUMNS)
        return response
