"""Every write to a booking's submission: the form, its documents, and sending it to panel."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from permanence.versions import version_check

from .. import uploads
from ..models import Booking, BookingStatus, DocumentRequirement, Submission, SubmissionDocument
from ..selectors import documents_required, submission_checklist


def _check_open(booking: Booking) -> None:
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is cancelled, so its submission is closed.")


@transaction.atomic
def submission_save(*, booking: Booking, by, version: int | None = None, **fields) -> Submission:
    """Save the submission form as it stands; it may be finished later. `version` is the
    one the form was opened at: a save by someone else since then is refused."""
    _check_open(booking)
    unknown = set(fields) - set(Submission.FORM_FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on a submission")
    submission, _ = Submission.objects.select_for_update().get_or_create(booking=booking)
    submission.version = version_check(
        version=version,
        saved=submission.version,
        thing="submission",
        by=submission.updated_by,
        at=submission.updated_at,
        now_reads={_question(name): getattr(submission, name) for name in fields},
        entered={_question(name): value.strip() for name, value in fields.items()},
    )
    for name, value in fields.items():
        setattr(submission, name, value.strip())
    submission.updated_by = by
    submission.save()
    return submission


def _question(name: str) -> str:
    return capfirst(Submission._meta.get_field(name).verbose_name)


@transaction.atomic
def document_upload(
    *, booking: Booking, requirement: DocumentRequirement | None, upload, by
) -> SubmissionDocument:
    """Store an uploaded document for the booking; an earlier version is kept, not replaced.

    Refused, storing nothing: a file over the limit, an empty one, one whose content is not
    a kind panel accepts, and one that is but must not be taken (`uploads.check`: a zip bomb,
    macros, a password, a web page inside). A PDF's scripts are taken out before it is
    stored. The name is a label only, cleaned, and ends in the extension of what it is."""
    # Locking the booking makes two uploads of one document (a double-clicked form) take
    # turns, so the second replaces the first rather than breaking the one-current rule.
    _check_open(Booking.objects.select_for_update().get(pk=booking.pk))
    name = uploads.clean_name(upload.name)
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
    try:
        cleaned = uploads.check(upload, kind, size=upload.size)
    except uploads.Refused as refused:
        raise ValidationError({"file": f"“{name}” {refused}"}) from None
    if requirement is not None:
        (
            SubmissionDocument.objects.select_for_update()
            .filter(booking=booking, requirement=requirement, replaced_at__isnull=True)
            .update(replaced_at=timezone.now())
        )
    document = SubmissionDocument(
        booking=booking,
        requirement=requirement,
        original_name=uploads.labelled_as(name, kind.extension),
        extension=kind.extension,
        content_type=kind.content_type,
        size=upload.size if cleaned is None else len(cleaned),
        uploaded_by=by,
    )
    document.file.save(name, upload if cleaned is None else ContentFile(cleaned), save=False)
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


# A new panel answers this afresh, so it is not carried: the checklist then asks for it.
NOT_CARRIED = frozenset({"progress_since_last_panel"})


@transaction.atomic
def submission_carry_forward(*, source: Booking, target: Booking, by) -> None:
    """Carry what was sent for a deferred or re-presented booking to the child's new one.

    The documents current on `source` become current on `target`: new rows pointing at the
    same stored files, so each booking keeps its own record and a replacement on one never
    changes the other. A document the new request does not ask for is carried as an extra
    one. The form's answers are carried as a draft for the social worker to update, except
    the progress since the last panel; nothing is sent to panel until they send it.
    """
    target = Booking.objects.select_for_update().get(pk=target.pk)
    _check_open(target)
    applies = set(documents_required(target).values_list("pk", flat=True))
    already = set(
        target.documents.filter(replaced_at__isnull=True, requirement__isnull=False).values_list(
            "requirement_id", flat=True
        )
    )
    carried, sources = [], []
    for document in source.documents.filter(replaced_at__isnull=True).order_by("pk"):
        requirement = document.requirement_id if document.requirement_id in applies else None
        if requirement is not None and requirement in already:
            continue  # the new booking has its own version already
        carried.append(
            SubmissionDocument(
                booking=target,
                requirement_id=requirement,
                file=document.file.name,
                original_name=document.original_name,
                extension=document.extension,
                content_type=document.content_type,
                size=document.size,
                uploaded_by_id=document.uploaded_by_id,
            )
        )
        sources.append(document)
    copies = SubmissionDocument.objects.bulk_create(carried)
    for copy, document in zip(copies, sources, strict=True):
        # When it was sent, not when it was carried.
        SubmissionDocument.objects.filter(pk=copy.pk).update(uploaded_at=document.uploaded_at)
    answers = Submission.objects.filter(booking=source).first()
    if answers is None or Submission.objects.filter(booking=target).exists():
        return
    Submission.objects.create(
        booking=target,
        updated_by=by,
        **{
            name: getattr(answers, name)
            for name in Submission.FORM_FIELDS
            if name not in NOT_CARRIED
        },
    )
