"""The social worker's side of a booking: the submission form, its documents, sending it.

Every page finds the booking through `selectors.visible_booking`, so another team's child
is a 404, never a 403 that would confirm the booking exists.
"""

import re
import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceFormMixin

from .. import selectors, services, uploads
from ..forms import DocumentUploadForm, SubmissionForm
from ..forms.carers import GuardiansFeedbackForm
from ..models import Submission, SubmissionDocument
from ..permissions import can_edit_submission


class SubmissionEditorMixin(AuditedMixin, PermissionRequiredMixin):
    """The booking, for someone who may see it (else 404) and edit its submission (else 403)."""

    audit_model = "agendas.Booking"

    permission = can_edit_submission

    @cached_property
    def booking(self):
        return selectors.visible_booking(self.request.user, pk=self.kwargs["pk"])

    def permission_object(self):
        return self.booking

    def get_context_data(self, **kwargs):
        kwargs.setdefault("booking", self.booking)
        return super().get_context_data(**kwargs)

    def booking_page(self):
        return redirect("bookings:detail", self.booking.pk)


class SubmissionUpdateView(SubmissionEditorMixin, FormView):
    template_name = "agendas/submission_form.html"
    form_class = SubmissionForm

    def get_form_kwargs(self):
        submission = getattr(self.booking, "submission", None) or Submission(booking=self.booking)
        return {**super().get_form_kwargs(), "instance": submission}

    def form_valid(self, form):
        try:
            services.submission_save(
                booking=self.booking, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Submission form saved.")
        return self.booking_page()


class DocumentUploadView(SubmissionEditorMixin, FormView):
    template_name = "agendas/document_upload.html"
    form_class = DocumentUploadForm

    def preselected(self):
        """The document chosen on the checklist (?requirement=), if panel asks for it."""
        pk = self.request.GET.get("requirement", "")
        if not pk.isdigit():
            return None
        return selectors.documents_required(self.booking).filter(pk=int(pk)).first()

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "booking": self.booking,
            "preselected": self.preselected(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requirement"] = context["form"].preselected
        return context

    def form_valid(self, form):
        requirement = form.cleaned_data["requirement"]
        try:
            services.document_upload(
                booking=self.booking,
                requirement=requirement,
                upload=form.cleaned_data["file"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        # The document's kind, not the uploaded file's name, which may name the child.
        name = requirement.name if requirement else "Other document"
        messages.success(self.request, f"“{name}” uploaded.")
        return self.booking_page()


class DocumentDownloadView(AuditedMixin, View):
    """Any version of a document, for anyone who may open its booking, as an attachment that
    no browser opens as a web page: the stored extension decides its name and type."""

    audit_model = "agendas.SubmissionDocument"
    audit_child = "booking__child"

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        document = get_object_or_404(
            SubmissionDocument.objects.filter(
                booking__in=selectors.visible_bookings(request.user).values("pk")
            ),
            pk=pk,
        )
        try:
            file = document.file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        kind = uploads.ACCEPTED.get(document.extension)
        response = FileResponse(
            file,
            content_type=kind.content_type if kind else "application/octet-stream",
        )
        response["Content-Disposition"] = attachment(
            uploads.labelled_as(document.original_name, document.extension)
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        # Should a browser render it anyway: no scripts, no requests, its own origin.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


def attachment(name: str) -> str:
    """Content-Disposition for a download (RFC 6266): a plain ASCII name for old browsers,
    and the name itself, percent-encoded, in filename*."""
    # Accents dropped ("Zoë" is "Zoe"), anything else outside plain ASCII an underscore.
    fallback = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    fallback = re.sub(r"[^A-Za-z0-9 ._()\[\]-]", "_", fallback).strip() or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


class SubmitView(SubmissionEditorMixin, View):
    """Send the submission to panel; what is still missing is listed on the booking page.
    A GET is answered 405 once the user is known to be one who may send it."""

    def post(self, request, pk):
        try:
            services.submission_submit(booking=self.booking, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.booking_page()
        messages.success(request, "Submission sent to panel.")
        return self.booking_page()


class GuardiansFeedbackView(SubmissionEditorMixin, ServiceFormMixin, FormView):
    """Torbay: record what the prospective special guardians said against the SGO request,
    before panel signs off its support plan."""

    template_name = "agendas/guardians_feedback.html"
    form_class = GuardiansFeedbackForm

    def change(self, fields):
        services.guardians_feedback_record(booking=self.booking, by=self.request.user, **fields)
        self.done_message = "The prospective special guardians' feedback is recorded."

    def done(self):
        return self.booking_page()
