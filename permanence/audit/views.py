"""The audit page: administrators search who saw what, and download what they found."""

import csv
from datetime import timedelta

from django.http import QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from .. import pages
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


# The page with no search shows this many days, so it opens on what is recent; a search
# (an emptied From included) looks as far back as it says.
RECENT_DAYS = 30


def _filtered(query) -> AuditFilter:
    return AuditFilter(query, queryset=selectors.audit_entries())


def _search(request) -> tuple[QueryDict, bool]:
    """The search asked for, or, on the page with none, the last RECENT_DAYS days."""
    if request.GET:
        return request.GET, False
    recent = QueryDict(mutable=True)
    recent["since"] = (timezone.localdate() - timedelta(days=RECENT_DAYS)).isoformat()
    return recent, True


class AuditSearchView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    """Who saw what: by person, by child's case number and by dates, newest first."""

    permission = can_search_audit
    template_name = "permanence/audit/search.html"

    def get_context_data(self, **kwargs):
        search, recent = _search(self.request)
        found = _filtered(search)
        entries = found.qs if found.is_valid() else found.queryset.none()
        page = pages.newest_first(
            entries,
            time_field="at",
            size=PER_PAGE,
            older=self.request.GET.get("older", ""),
            newer=self.request.GET.get("newer", ""),
        )
        query = search.copy()
        for paging in ("older", "newer"):
            query.pop(paging, None)
        return super().get_context_data(
            filter=found,
            person=found.form.cleaned_data.get("user") if found.is_valid() else None,
            page=page,
            # Counted only as far as a page needs to say "more than"; the first page only.
            count=pages.count_up_to(entries) if page.object_list and not page.newer else None,
            counted_up_to=pages.COUNTED_UP_TO,
            query=query.urlencode(),
            searched=not recent,
            recent_days=RECENT_DAYS if recent else None,
            **kwargs,
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
        found = _filtered(_search(request)[0])
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
