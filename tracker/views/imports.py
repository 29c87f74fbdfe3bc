"""Importing children from a spreadsheet: administrators only, all or nothing."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView

from permanence.permissions import PermissionRequiredMixin

from ..forms_import import ChildrenImportForm
from ..importer import IMPORT_COLUMNS, children_import
from ..importer.referrals import REFERRAL_COLUMNS, is_referrals_file, referrals_import
from ..permissions import can_manage_children


class ImportView(PermissionRequiredMixin, FormView):
    permission = can_manage_children
    template_name = "tracker/import.html"
    form_class = ChildrenImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=IMPORT_COLUMNS, referral_columns=REFERRAL_COLUMNS.known, **kwargs
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        # A referrals file is told apart by its header row (it names what_happened).
        if is_referrals_file(data):
            result = referrals_import(data=data, dry_run=form.cleaned_data["dry_run"])
        else:
            result = children_import(
                data=data,
                changed_by=self.request.user,
                dry_run=form.cleaned_data["dry_run"],
                create_teams=form.cleaned_data["create_teams"],
            )
        if result.problems:
            count = len(result.problems)
            form.add_error(
                "file",
                f"The file has {count} problem{'s' if count != 1 else ''}, listed below. "
                "Nothing has been saved: fix the file and upload it again",
            )
            return self.render_to_response(
                self.get_context_data(form=form, problems=result.problems, filename=upload.name)
            )
        if result.dry_run:
            messages.info(self.request, f"The file has no problems. {result.summary()}")
        else:
            messages.success(self.request, result.summary())
        return redirect("tracker:import")


class ImportTemplateView(PermissionRequiredMixin, View):
    permission = can_manage_children

    def get(self, request):
        response = HttpResponse(
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="children-import-template.csv"'},
        )
        csv.writer(response).writerow(IMPORT_COLUMNS)
        return response
