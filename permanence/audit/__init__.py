"""Who saw what: the audit of every look at a child's record, every download, every change
to a decision or the minutes, every sign-in and every refusal.

Views that show a child's data declare `AuditedMixin` (the one choke point for reads and
refusals); sign-ins and changes are recorded by the receivers in `receivers.py`.
tests/test_audit_coverage.py walks every URL and fails for a page that shows a child
without declaring the mixin.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404

from ..models import AuditAction
from .services import audit_entry_record

__all__ = ["AuditAction", "AuditedMixin", "Subject", "subject_of"]


@dataclass(frozen=True)
class Subject:
    """What an entry is about: the object, a label with no child's name in it, and the
    child's case number where there is one child."""

    object_type: str = ""
    object_id: str = ""
    label: str = ""
    case_number: str = ""


def subject_of(model_label: str, pk, child_path: str | None) -> Subject:
    """The subject from the object's primary key, looked up whoever is asking: a refused
    look at a child is recorded against that child.

    `child_path` leads from the object to its child ("" when it is the child, None when it
    is about no one child, such as a meeting)."""
    model = apps.get_model(model_label)
    name = str(model._meta.verbose_name).capitalize()
    subject = {"object_type": model._meta.label_lower, "object_id": str(pk)}
    if child_path is None:
        found = model._default_manager.filter(pk=pk).first()
        return Subject(**subject, label=str(found) if found else f"{name} {pk}")
    prefix = f"{child_path}__" if child_path else ""
    child = (
        model._default_manager.filter(pk=pk)
        .values_list(f"{prefix}case_number", f"{prefix}first_name", f"{prefix}last_name")
        .first()
    )
    if child is None:
        return Subject(**subject, label=f"{name} {pk}")
    case_number, first_name, last_name = child
    about = f"{first_name[:1]}{last_name[:1]}".upper() + f" ({case_number})"
    # The child itself (or a referral, which carries the child's own details) by its
    # initials; anything else by its number, for the child.
    label = f"{name} {about}" if not child_path else f"{name} {pk} for {about}"
    return Subject(**subject, label=label, case_number=case_number)


def is_file(response) -> bool:
    return isinstance(response, FileResponse) or response.has_header("Content-Disposition")


class AuditedMixin:
    """Declared by every view that shows a child's data; goes first among the bases, so that
    it sees the refusals of the permission checks after it:

        class BookingDetailView(AuditedMixin, TemplateView):
            audit_model = "agendas.Booking"

    A GET that answers 200 is recorded, once the page is drawn, as `audit_action` (a file
    as `audit_file_action`); a 403 or 404, raised or returned, as refused. Other requests
    are not recorded here: what they change is recorded by the models' own receivers
    (`receivers.py`).

    `audit_model` is what the URL's `audit_kwarg` names; `audit_child` leads from it to
    its child ("" when it is the child, None when it is about no one child). A page about
    many children (a list, a meeting's agenda) leaves `audit_model` empty or names the
    meeting, and is recorded under its URL's name.
    """

    audit_action = AuditAction.VIEWED
    audit_file_action = AuditAction.DOWNLOADED
    audit_model = ""
    audit_kwarg = "pk"
    audit_child: str | None = "child"

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
        except (Http404, PermissionDenied):
            self.audit(AuditAction.REFUSED)
            raise
        if response.status_code in (403, 404):
            self.audit(AuditAction.REFUSED)
        elif request.method in ("GET", "HEAD") and response.status_code == 200:
            # Drawn first, so a page that lists the audit (or a child's latest looks) shows
            # what was there when it was asked for, and its own entry joins afterwards.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            self.audit(self.audit_file_action if is_file(response) else self.audit_action)
        return response

    def audit_subject(self) -> Subject:
        if not self.audit_model:
            return Subject(label=self.request.resolver_match.view_name)
        return subject_of(self.audit_model, self.kwargs[self.audit_kwarg], self.audit_child)

    def audit(self, action: AuditAction) -> None:
        subject = self.audit_subject()
        audit_entry_record(
            action=action,
            user=self.request.user,
            request=self.request,
            object_type=subject.object_type,
            object_id=subject.object_id,
            label=subject.label,
            case_number=subject.case_number,
        )
