"""The agenda pack: an administrator builds it, the page follows its progress, and those who
may see every child in it download it.

The meeting is found through `selectors.visible_meetings`: the panel's chair, deputy and
members, administrators and senior managers. Anyone else (a social worker) gets a 404.
Senior managers follow the pack's progress but may not download it (`can_download_pack`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.signin.again import sign_in_again

from .. import selectors, services
from ..models import PackStatus
from ..permissions import can_circulate, can_download_pack


def _meeting_for(user, slug: str, pk: int):
    return selectors.visible_meeting(user, slug=slug, pk=pk)


def pack_filename(meeting) -> str:
    """No child's details: the name says only whose pack it is and when."""
    return f"agenda-pack-{meeting.panel.slug}-{meeting.date:%Y-%m-%d}.pdf"


class PackBuildView(PermissionRequiredMixin, View):
    """Start a new pack (administrators): the worker builds it, the page shows how far."""

    permission = can_circulate
    http_method_names = ["post"]

    @cached_property
    def meeting(self):
        return _meeting_for(self.request.user, self.kwargs["slug"], self.kwargs["pk"])

    def permission_object(self):
        return self.meeting

    def post(self, request, slug, pk):
        try:
            pack = services.pack_request(meeting=self.meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            pack.job.refresh_from_db()  # the worker may have finished it already
            if pack.status == PackStatus.READY:
                messages.success(request, "The agenda pack is ready to download.")
            elif pack.status == PackStatus.FAILED:
                messages.error(request, "The agenda pack could not be built.")
            else:
                messages.success(request, "The agenda pack is being built.")
        return redirect(f"{reverse('agendas:meeting', args=[slug, pk])}#agenda-pack")


class PackStatusView(View):
    """How far the latest pack has got, for the page's progress bar to poll."""

    http_method_names = ["get"]

    def get(self, request, slug, pk):
        meeting = _meeting_for(request.user, slug, pk)
        pack = selectors.latest_pack(meeting)
        if pack is None:
            body = {"status": None}
        else:
            body = {
                "status": pack.status,
                "status_label": pack.get_status_display(),
                "documents_done": pack.documents_done,
                "documents_total": pack.documents_total,
                "label": pack.progress_label,
                "error": pack.error if pack.status == PackStatus.FAILED else "",
                "download_url": reverse("agendas:pack-download", args=[slug, pk])
                if pack.is_ready and can_download_pack(request.user, meeting)
                else "",
                "out_of_date": selectors.pack_is_out_of_date(pack),
            }
        response = JsonResponse(body)
        response["Cache-Control"] = "private, no-store"
        return response


class PackDownloadView(AuditedMixin, PermissionRequiredMixin, View):
    """The latest ready pack, as an attachment; each download is recorded."""

    audit_model = "agendas.Meeting"
    audit_child = None
    permission = can_download_pack
    http_method_names = ["get"]

    @cached_property
    def meeting(self):
        return _meeting_for(self.request.user, self.kwargs["slug"], self.kwargs["pk"])

    def permission_object(self):
        return self.meeting

    def get(self, request, slug, pk):
        meeting = self.meeting
        pack = selectors.latest_ready_pack(meeting)
        if pack is None:
            raise Http404("No agenda pack is ready for this meeting.")
        if again := sign_in_again(request):
            return again
        try:
            file = pack.file.open("rb")
        except FileNotFoundError:
            raise Http404("The pack is missing from storage.") from None
        services.pack_download_record(pack=pack, by=request.user)
        response = FileResponse(
            file,
            as_attachment=True,
            filename=pack_filename(meeting),
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
