"""The agenda, a cover sheet for each booking and its submission, as PDFs.

WeasyPrint renders each from a template on templates/pdf/base.html: A4, the council's name
and OFFICIAL-SENSITIVE on every page, "Page x of y", tagged as PDF/UA-1 with the page's
language and title, so a screen reader can follow the headings and tables.

`for_pack=True` renders one as a part of the agenda pack: the same pages without the header
and footer, which the pack stamps on every page, numbered across the whole pack.
"""

import re

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import selectors
from .forms.submissions import SUBMISSION_QUESTIONS
from .models import Booking, Meeting, Submission

PDF_VARIANT = "pdf/ua-1"  # tagged, with the language and title (WeasyPrint 63 and later)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, every character but letters, digits and spaces escaped,
    so a council's name cannot end the string in the page header's `content`."""
    # Each escape ends with a space, which CSS reads as the end of the escape, not text.
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text
    )
    return f'"{escaped}"'


def render_pdf(template_name: str, context: dict, *, for_pack: bool = False) -> bytes:
    """Render a template that extends pdf/base.html to PDF bytes; for the agenda pack, without
    the header and footer (the margins stay)."""
    # Imported here: WeasyPrint loads Pango and fonts, which only the PDF downloads and the
    # agenda pack need, not every web request.
    from weasyprint import HTML

    html = render_to_string(
        template_name,
        {
            "council_name": settings.COUNCIL_NAME,
            # Every character but letters, digits and spaces is escaped by css_string.
            "council_name_css": mark_safe(css_string(settings.COUNCIL_NAME)),  # noqa: S308
            "pack_part": for_pack,
            **context,
        },
    )
    return HTML(string=breakable(html)).write_pdf(pdf_variant=PDF_VARIANT)


# A style sheet, the title (the PDF's metadata), or any tag with its attributes: left as
# they are.
_MARKUP = re.compile(
    r"(<(?:style|title)\b.*?</(?:style|title)>|<[^>]*>)", re.DOTALL | re.IGNORECASE
)
# A run of text with nowhere to break a line: entities (&amp;) end a run, so none is split.
_UNBROKEN_RUN = re.compile(r"[^\s&;]{40}(?=[^\s&;])")


def breakable(html: str) -> str:
    """The page's text with a zero-width space every 40 characters of a run that has no
    space: WeasyPrint's `overflow-wrap` tries each break in a long run again and again,
    and a 10,000-character run in a decision's history took two minutes to draw."""
    return "".join(
        part if index % 2 else _UNBROKEN_RUN.sub(lambda run: run.group() + "\u200b", part)
        for index, part in enumerate(_MARKUP.split(html))
    )


def pdf_download(data: bytes, filename: str) -> HttpResponse:
    """A PDF to save, which no shared cache or the browser's history keeps."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# The agenda ------------------------------------------------------------------------------


def agenda_context(meeting: Meeting) -> dict:
    the_agenda = selectors.agenda(meeting)
    return {
        "meeting": meeting,
        "panel": meeting.panel,
        "agenda": the_agenda,
        "timetable": the_agenda.timetable,
    }


def agenda_pdf(meeting: Meeting, *, for_pack: bool = False) -> bytes:
    """The meeting's agenda in the Lancashire template: the panel, date, time and venue,
    the theme, each agenda item with its definition, then the children in time order."""
    return render_pdf("agendas/pdf/agenda.html", agenda_context(meeting), for_pack=for_pack)


def agenda_filename(meeting: Meeting) -> str:
    """No child's details: the name says only whose agenda it is and when."""
    return f"agenda-{meeting.panel.slug}-{meeting.date:%Y-%m-%d}.pdf"


# A booking: its cover sheet and its submission -------------------------------------------


def _booking(booking: Booking) -> Booking:
    """The booking with what both documents show, read fresh."""
    return Booking.objects.with_its_page().get(pk=booking.pk)


def cover_sheet_pdf(booking: Booking, *, for_pack: bool = False) -> bytes:
    """One page for the pack: who the child is, when they are heard and why, and which of
    the documents panel asks for are missing."""
    booking = _booking(booking)
    prefetch_related_objects([booking], selectors.previous_panel())
    checklist = selectors.submission_checklist(booking)
    return render_pdf(
        "agendas/pdf/cover_sheet.html",
        {
            "booking": booking,
            "child": booking.child,
            "checklist": checklist,
            "missing": [item for item in checklist if item.missing],
            "contributions": selectors.contributions_of(booking),
            "planning": selectors.planning_checklist(booking.child, booking.panel),
        },
        for_pack=for_pack,
    )


def submission_pdf(booking: Booking, *, for_pack: bool = False) -> bytes:
    """The social worker's answers to the submission form, or a page saying it was not
    completed."""
    booking = _booking(booking)
    submission = Submission.objects.filter(booking=booking).select_related("submitted_by").first()
    answers = []
    if submission is not None:
        answers = [
            {"label": SUBMISSION_QUESTIONS[name][0], "answer": getattr(submission, name).strip()}
            for name in Submission.FORM_FIELDS
        ]
    return render_pdf(
        "agendas/pdf/submission.html",
        {
            "booking": booking,
            "child": booking.child,
            "submission": submission,
            "answers": answers,
            "answered": any(row["answer"] for row in answers),
            "complete": bool(submission and submission.form_complete),
        },
        for_pack=for_pack,
    )
