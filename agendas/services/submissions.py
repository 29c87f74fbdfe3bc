"""Every write to a booking's submission: the form, its documents, and sending it to panel."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .. import uploads
from ..models import Booking, BookingStatus, DocumentRequirement, Submission, SubmissionDocument
from ..selectors import submission_checklist


def _check_open(booking: Booking) -> None:
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is cancelled, so its submission is closed.")


@transaction.atomic
def submission_save(*, booking: Booking, by, **fields) -> Submission:
    """Save the submission form as it stands; it may be finished later."""
    _check_open(booking)
    unknown = set(fields) - set(Submission.FORM_FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on a submission")
    submission, _ = Submission.objects.select_for_update().get_or_create(booking=booking)
    for name, value in fields.items():
        setattr(submission, name, value.strip())
    submission.updated_by = by
    submission.save()
    return submission


def _label(name: str) -> str:
    # Only the last part of whatever path the browser sent, and never used as a path.
    return PurePath(name.replace("\\", "/")).name[:255] or "document"


@transaction.atomic
def document_upload(
    *, booking: Booking, requirement: DocumentRequirement | None, upload, by
) -> SubmissionDocument:
    """Store an uploaded document for the booking; an earlier version is kept, not replaced."""
    # Locking the booking makes two uploads of one document (a double-clicked form) take
    # turns, so the second replaces the first rather than breaking the one-current rule.
    _check_open(Booking.objects.select_for_update().get(pk=booking.pk))
    name = _label(upload.name)
    if requirement is not None and not (
        requirement.panel_id == booking.panel_id
        and requirement.request_type_id in (None, booking.request_type_id)
    ):
        raise ValidationError("The panel does not ask for that document for this request.")
    limit = settings.SUBMISSION_MAX_UPLOAD_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            {
                "file": f"“{name}” is {upload.size / (1024 * 1024):.1f} MB. "
                f"Files must be {limit} MB or smaller."
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": f"“{name}” is empty."})
    kind = uploads.identify(upload)
    if kind is None:
        raise ValidationError(
            {
                "file": f"“{name}” is not a file type panel accepts. "
                f"Upload a {uploads.ACCEPTED_IN_WORDS} file."
            }
        )
    if requirement is not None:
        (
            SubmissionDocument.objects.select_for_update()
            .filter(booking=booking, requirement=requirement, replaced_at__isnull=True)
            .update(replaced_at=timezone.now())
        )
    document = SubmissionDocument(
        booking=booking,
        requirement=requirement,
        original_name=name,
        extension=kind.extension,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(name, upload, save=False)
    try:
        document.save()
    except Exception:
        # A stored file must not outlive a row that could not be written.
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def submission_submit(*, booking: Booking, by) -> Submission:
    """Send the submission to panel: refused while the checklist still has gaps."""
    _check_open(booking)
    submission, _ = Submission.objects.select_for_update().get_or_create(booking=booking)
    if submission.submitted_at:
        # Sending again would move the date panel judges lateness by.
        raise ValidationError(
            "This submission was sent to panel on "
            f"{date_format(timezone.localtime(submission.submitted_at))}."
        )
    missing = [item.name for item in submission_checklist(booking) if item.missing]
    if missing:
        raise ValidationError([f"Still missing: {name}." for name in missing])
    submission.submitted_at = timezone.now()
    submission.submitted_by = by
    submission.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    return submission
