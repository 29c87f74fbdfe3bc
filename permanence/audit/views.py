"""The audit page: administrators search who saw what, and download what they found."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ..models import AuditAction
from ..permissions import PermissionRequiredMixin, can_search_audit
from ..spreadsheets import csv_cell
from . import AuditedMixin, selectors
from .filters import AuditFilter

PER_PAGE = 50
COLUMNS = (
    "at",
    "user",
    "action",
    "object_type",
    "object_id",
    "label",
    "case_number",
    "ip_address",
    "path",
)


def _filtered(request) -> AuditFilter:
    return AuditFilter(request.GET, queryset=selectors.audit_entries())


class AuditSearchView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    """Who saw what: by person, by child's case number and by dates, newest first."""

    permission = can_search_audit
    template_name = "permanence/audit/search.html"

    def get_context_data(self, **kwargs):
        found = _filtered(self.request)
        valid = found.is_valid()
        entries = found.qs if valid else found.queryset.none()
        page = Paginator(entries, PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=found, page=page, query=query.urlencode(), searched=bool(query), **kwargs
        )


class Echo:
    """A file that hands back what is written to it, for a streamed CSV."""

    def write(self, value):
        return value


class AuditDownloadView(AuditedMixin, PermissionRequiredMixin, View):
    """What the search found, as a CSV streamed from the database: the whole audit may be
    millions of rows, so it is never held in memory."""

    permission = can_search_audit
    audit_file_action = AuditAction.EXPORTED

    def get(self, request):
        found = _filtered(request)
        entries = found.qs if found.is_valid() else found.queryset.none()
        writer = csv.writer(Echo())

        def rows():
            yield "\ufeff" + writer.writerow(COLUMNS)
            for entry in entries.iterator(chunk_size=2000):
                yield writer.writerow(
                    csv_cell(value)
                    for value in (
                        timezone.localtime(entry.at).isoformat(timespec="seconds"),
                        entry.username,
                        entry.action,
                        entry.object_type,
                        entry.object_id,
                        entry.label,
                        entry.case_number,
                        entry.ip_address,
                        entry.path,
                    )
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
