"""Making the agenda pack's PDF: each uploaded document as a PDF (LibreOffice for office
files, a page for an image), a page standing in for one that cannot go in, and the merged
pack's bookmarks and page furniture. Pure functions: the service in services/packs.py reads
the database and records progress.

Every page of the pack carries the council's name (top left), OFFICIAL-SENSITIVE (top right
and bottom centre) and "Page x of y" counted over the whole pack, stamped on after merging
(`save_pack`), so uploaded documents carry them too. The pack's own parts are rendered
without the furniture of pdf/base.html (`for_pack=True`), so nothing is printed twice.
"""

import contextlib
import ctypes
import functools
import io
import logging
import os
import re
import resource
import shutil
import signal
import subprocess
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from PIL import Image

from . import pdfs, uploads
from .models import Booking, SubmissionDocument

if TYPE_CHECKING:
    import pikepdf

logger = logging.getLogger(__name__)

CONVERTED_BY_LIBREOFFICE = {
    "docx": "Word (DOCX)",
    "doc": "Word 97–2003 (DOC)",
    "odt": "OpenDocument text (ODT)",
    "xlsx": "Excel (XLSX)",
}
IMAGES = {"png", "jpg"}


class Unusable(Exception):
    """A document that cannot go into the pack; the message says why, in plain words."""


@dataclass
class Part:
    """One entry in the pack's outline (0-based page), with the entries nested under it."""

    title: str
    page: int
    children: list[tuple[str, int]]


def open_bytes(data: bytes) -> "pikepdf.Pdf":
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


# One uploaded document as a PDF ------------------------------------------------------------


def document_pdf(document: SubmissionDocument, folder: Path) -> "pikepdf.Pdf":
    """The document as an open PDF, or Unusable saying why it cannot be. Files are read
    through Django's storage, never assumed to be on this disk."""
    folder.mkdir()
    source = folder / f"document.{document.extension}"
    try:
        with document.file.open("rb") as stored, source.open("wb") as local:
            shutil.copyfileobj(stored, local, 1024 * 1024)
    except FileNotFoundError:
        raise Unusable("the file is missing from storage") from None
    if document.extension == "pdf":
        pdf = open_pdf(source)
        # A page's scripts would be copied into the pack with it: one stored before uploads
        # lost theirs must not bring them in.
        uploads.remove_scripts(pdf)
        return pdf
    if document.extension in CONVERTED_BY_LIBREOFFICE:
        return open_pdf(convert_with_libreoffice(document.extension, source, folder))
    if document.extension in IMAGES:
        return open_pdf(image_page(source, folder))
    raise Unusable(f"the pack cannot include .{document.extension} files")


def open_pdf(path: Path) -> "pikepdf.Pdf":
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise Unusable("it is protected by a password, so it cannot be opened") from None
    except pikepdf.PdfError:
        raise Unusable("the file is damaged and cannot be read as a PDF") from None
    try:
        if not pdf.pages:
            raise Unusable("the PDF has no pages")
        # qpdf copies damaged streams as they are; decoding each page's content finds them
        # here, where the document can still be left out.
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            for stream in streams:
                if isinstance(stream, pikepdf.Stream):
                    stream.read_bytes()
    except Unusable:
        pdf.close()
        raise
    except (pikepdf.PdfError, pikepdf.DataDecodingError, ValueError, RuntimeError):
        pdf.close()
        raise Unusable("the file is damaged: some of its pages cannot be read") from None
    return pdf


def convert_with_libreoffice(extension: str, source: Path, folder: Path) -> Path:
    """The document as a PDF, converted by LibreOffice in a sandbox: no network (its own
    network namespace), no links out of the document (taken out first, `disarm`), no macros
    (refused at upload, and switched off in its profile), a fresh profile in the work
    folder, memory and CPU limits, and a process tree that dies with this one."""
    soffice = settings.LIBREOFFICE_PATH
    kind = CONVERTED_BY_LIBREOFFICE[extension]
    if not soffice or not Path(soffice).is_file():
        raise Unusable(f"the server has no converter for {kind} files (LibreOffice)")
    if extension in DISARMED:
        disarm(extension, source)
    out = folder / "converted"
    profile = folder / "libreoffice-profile"
    _write_profile(profile)
    command = [
        *sandbox(),
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(source),
    ]
    timeout = settings.LIBREOFFICE_TIMEOUT_SECONDS
    # Its own session, so a timeout ends soffice.bin as well as the script that starts it.
    # Only what it needs from the environment: never the database's or the broker's address.
    process = subprocess.Popen(  # noqa: S603 - the configured LibreOffice, our own paths
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # Run between fork and exec: safe here, the worker converts from its only thread.
        preexec_fn=functools.partial(
            _limits,
            memory=settings.LIBREOFFICE_MEMORY_LIMIT_MB * MB,
            cpu=settings.LIBREOFFICE_CPU_LIMIT_SECONDS,
        ),
        cwd=folder,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(folder),
            "TMPDIR": str(folder),
            "LANG": "C.UTF-8",
        },
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise Unusable(f"turning it into a PDF took longer than {timeout} seconds") from None
    except BaseException:
        # The task's soft time limit, or anything else that stops the build here.
        _kill_group(process)
        raise
    converted = out / f"{source.stem}.pdf"
    if process.returncode != 0 or not converted.is_file():
        logger.warning(
            "LibreOffice could not convert a %s (exit %s): %s",
            extension,
            process.returncode,
            output.decode(errors="replace")[-500:],
        )
        raise Unusable("LibreOffice could not turn it into a PDF; the file may be damaged")
    return converted


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


# The sandbox ------------------------------------------------------------------------------

# A network namespace with nothing in it (so 127.0.0.1 is not this machine's), and a PID
# namespace whose first process dies with `unshare` (--kill-child): when it dies the kernel
# ends every process in the namespace, soffice.bin included, however it was started.
UNSHARE_OPTIONS = ["--net", "--pid", "--fork", "--kill-child"]


@functools.cache
def sandbox() -> tuple[str, ...]:
    """The command LibreOffice runs under, tried once per process: as root, or with a user
    namespace where unprivileged ones are allowed. Without it LibreOffice runs with the
    network, and a logged warning says so: links were still taken out of the document."""
    unshare = shutil.which("unshare")
    if unshare:
        command = [unshare, *UNSHARE_OPTIONS]
        for attempt in (command, [*command, "--map-root-user"]):
            probe = subprocess.run(  # noqa: S603 - our own command
                [*attempt, "true"], capture_output=True, timeout=10, check=False
            )
            if probe.returncode == 0:
                return tuple(attempt)
    logger.warning(
        "LibreOffice runs WITHOUT a network sandbox: `unshare --net --pid` is %s. Documents' "
        "links are still taken out, but allow namespaces (or run the worker as root) to "
        "close the network to it.",
        "not permitted here" if unshare else "not installed",
    )
    return ()


MB = 1024 * 1024
_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def _limits(*, memory: int, cpu: int) -> None:
    """In the child, before LibreOffice starts: its memory (bytes) and CPU (seconds) limits,
    inherited by every process it starts, and SIGKILL should the worker die, by a hard time
    limit or a kill -9, so nothing is left running."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    _libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


# Security settings in the fresh profile: no macro runs, whatever the document says.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def _write_profile(profile: Path) -> None:
    # A profile of its own for every run: two conversions never share (or lock) one.
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE)


# Taking the links out of a document ---------------------------------------------------------

DISARMED = {"docx", "xlsx", "odt"}
_CHUNK = 64 * 1024
# An XML part declaring entities could make the parser read a file or a URL.
_DECLARATIONS = re.compile(rb"<!(?:doctype|entity)", re.I)
# Office Open XML: a relationship to anything outside the package (a linked picture, a
# template, a sub-document, a frame), by URL or by a path on this machine.
_EXTERNAL_RELATIONSHIP = re.compile(
    rb"<(?:\w+:)?Relationship\b[^>]*\bTargetMode\s*=\s*[\"']External[\"'][^>]*?"
    rb"(?:/>|>\s*</(?:\w+:)?Relationship\s*>)",
    re.I,
)
# Word fields that pull in another file, in a field's instruction (never in the text).
_FIELD_INSTRUCTION = re.compile(
    rb"(<(?:\w+:)?instrText\b[^>]*>)([^<]*)|(\b(?:\w+:)?instr\s*=\s*\")([^\"]*)"
)
_INCLUDING_FIELDS = re.compile(
    rb"\b(?:INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|DDEAUTO|DDE)\b", re.I
)
# OpenDocument: an xlink:href out of the package (a scheme, an absolute path, or "..") on
# anything but a hyperlink, which a PDF keeps as a link and never fetches.
_ODF_OUTSIDE_LINK = re.compile(
    rb"(<(?!(?:text|draw):a\b)[\w.-]+:[\w.-]+\b[^>]*?)\s(?:xlink:href)\s*=\s*"
    rb"(\"|')(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|\.\.)[^\"']*\2"
)


def disarm(extension: str, source: Path) -> None:
    """Rewrite the document without its links to anything outside it, so LibreOffice has
    nothing to fetch or read; refuse one that declares XML entities. Reads at most the
    unpacked size allowed at upload (a file uploaded before that check is held to it too)."""
    budget = settings.DOCUMENT_MAX_UNPACKED_MB * MB
    disarmed = source.with_name(f"disarmed.{extension}")
    try:
        with zipfile.ZipFile(source) as original, zipfile.ZipFile(disarmed, "w") as copy:
            for entry in original.infolist():
                content = _read_within(original, entry, budget)
                budget -= len(content)
                if entry.filename.lower().endswith((".xml", ".rels")):
                    content = _without_links(extension, entry.filename, content)
                copy.writestr(_fresh(entry), content)
    except uploads.UNREADABLE_ZIP:
        disarmed.unlink(missing_ok=True)
        raise Unusable("the file is damaged: it cannot be unpacked") from None
    except Unusable:
        disarmed.unlink(missing_ok=True)
        raise
    disarmed.replace(source)


def _fresh(entry: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The entry's name only: none of its flags, dates or methods carried over. An OpenDocument
    file's first entry, its mimetype, stays uncompressed as the format requires."""
    info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = (
        zipfile.ZIP_STORED if entry.filename == "mimetype" else zipfile.ZIP_DEFLATED
    )
    return info


def _read_within(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    with archive.open(entry) as stream:
        content = stream.read(budget + 1)
    if len(content) > budget:
        raise Unusable(
            f"it unpacks to more than {settings.DOCUMENT_MAX_UNPACKED_MB} MB, "
            "more than a document may"
        )
    return content


def _without_links(extension: str, name: str, content: bytes) -> bytes:
    if _DECLARATIONS.search(content):
        raise Unusable("it declares XML entities, which could make the converter read other files")
    if extension == "odt":
        return _ODF_OUTSIDE_LINK.sub(rb"\1", content)
    if name.lower().endswith(".rels"):
        return _EXTERNAL_RELATIONSHIP.sub(_unless_hyperlink, content)
    return _FIELD_INSTRUCTION.sub(_quoted_field, content)


_HYPERLINK = re.compile(rb"\bType\s*=\s*[\"'][^\"']*/hyperlink[\"']")


def _unless_hyperlink(match: re.Match) -> bytes:
    # A hyperlink is kept: the PDF keeps it as a link to click, and nothing fetches it.
    return match.group(0) if _HYPERLINK.search(match.group(0)) else b""


def _quoted_field(match: re.Match) -> bytes:
    # QUOTE shows its argument as text: the field stays, the file is never opened.
    start = match.group(1) or match.group(3)
    instruction = match.group(2) if match.group(1) else match.group(4)
    return start + _INCLUDING_FIELDS.sub(b"QUOTE", instruction)


def image_page(source: Path, folder: Path) -> Path:
    """The image fitted to an A4 page, at its own resolution, inside the margins the pack's
    stamp prints in."""
    try:
        with Image.open(source) as image:
            image.verify()  # a damaged or oversized image is refused here, not half-drawn
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Unusable("the image is damaged and cannot be read") from None
    from weasyprint import HTML

    html = (
        "<style>@page { size: A4; margin: 15mm }"
        " body { margin: 0; text-align: center }"
        " img { max-width: 180mm; max-height: 267mm; image-orientation: from-image }</style>"
        f'<img src="{source.name}" alt="">'
    )
    path = folder / "image.pdf"
    HTML(string=html, base_url=str(folder) + "/").write_pdf(path)
    return path


# The pack's own page, in the look of the other PDFs (pdf/base.html), as a part of the pack:
# the stamp gives it the council, the protective marking and the page number.
PLACEHOLDER = """{% extends "pdf/base.html" %}
{% block title %}Not included: {{ title }}{% endblock %}
{% block content %}
<p class="caption">{{ child.full_name }} ({{ child.case_number }})</p>
<h1>This document is not included in the pack</h1>
<p class="notice notice--warning">{{ title }}</p>
<table class="facts">
  <tr><th scope="row">File</th><td>{{ document.original_name }}</td></tr>
  <tr><th scope="row">Uploaded</th><td>{{ document.uploaded_at|date:"j F Y" }}</td></tr>
  <tr><th scope="row">Why it is not included</th><td>{{ why }}.</td></tr>
</table>
<p>Open the document from the child's booking page: {{ link }}</p>
{% endblock %}
"""


def placeholder_pdf(booking: Booking, document: SubmissionDocument, title: str, why: str) -> bytes:
    """A page standing in for a document that cannot be included, saying which and why."""
    from weasyprint import HTML

    html = (
        engines["django"]
        .from_string(PLACEHOLDER)
        .render(
            {
                "council_name": settings.COUNCIL_NAME,
                "council_name_css": mark_safe(pdfs.css_string(settings.COUNCIL_NAME)),  # noqa: S308
                "pack_part": True,
                "child": booking.child,
                "document": document,
                "title": title,
                "why": why[:1].upper() + why[1:],
                "link": settings.SITE_URL + reverse("bookings:detail", args=[booking.pk]),
            }
        )
    )
    return HTML(string=html).write_pdf()


# The finished pack -------------------------------------------------------------------------


def save_pack(
    merged: "pikepdf.Pdf", outline: list[Part], *, title: str, sources: list, path: Path
) -> None:
    """Bookmark, stamp and title the merged pages, and write them to `path`. The sources the
    pages came from stay open until then: pikepdf copies their content as it writes."""
    import pikepdf

    with merged.open_outline() as bookmarks:
        for part in outline:
            item = pikepdf.OutlineItem(part.title, part.page)
            item.children.extend(pikepdf.OutlineItem(name, page) for name, page in part.children)
            bookmarks.root.append(item)
    stamps = stamp_pages(merged, settings.COUNCIL_NAME)
    merged.docinfo["/Title"] = title
    # At least the newest version among its sources, whose features the pages may use.
    merged.save(path, min_version=max(source.pdf_version for source in sources))
    stamps.close()
    for source in sources:
        source.close()


# The stamp: small boxes of text drawn over each page, 8pt, in its outer 10 mm. Each is
# rendered by WeasyPrint as a page of the box's size, so it lands on any size or orientation
# of page (a landscape spreadsheet, a US-letter conversion) at its own scale, undistorted.
MM = 72 / 25.4
EDGE = 12 * MM  # from the page's left and right edges
FROM_EDGE = 4 * MM  # the band's outer side, from the top or bottom edge
BAND = 6 * MM
COUNCIL_WIDTH = 80 * MM  # room for a long name; on a small page it shrinks
MARKING_WIDTH = 40 * MM
NUMBER_WIDTH = 40 * MM
GAP = 6 * MM

STAMP_HTML = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Page furniture</title><style>
@page {{ size: {marking}pt {band}pt; margin: 0 }}
@page council {{ size: {council}pt {band}pt }}
@page number {{ size: {number}pt {band}pt }}
html {{ font: 8pt/{band}pt Arial, "Liberation Sans", sans-serif; color: #0b0c0c }}
body {{ margin: 0 }}
p {{ margin: 0; height: {band}pt; white-space: nowrap; overflow: hidden }}
p + p {{ break-before: page }}
.council {{ page: council; text-align: left }}
.marking {{ font-weight: bold; text-align: right }}
.centre {{ text-align: center }}
.number {{ page: number; text-align: right }}
</style></head><body>
<p class="council">{council_name}</p>
<p class="marking">OFFICIAL-SENSITIVE</p>
<p class="marking centre">OFFICIAL-SENSITIVE</p>
{numbers}
</body></html>
"""


def stamp_html(council_name: str, pages: int) -> str:
    """The stamp's boxes as pages: the council, the marking at the top right, the marking at
    the bottom centre, then "Page x of y" for each of the pack's pages."""
    return STAMP_HTML.format(
        band=round(BAND, 2),
        council=round(COUNCIL_WIDTH, 2),
        marking=round(MARKING_WIDTH, 2),
        number=round(NUMBER_WIDTH, 2),
        council_name=escape(council_name),
        numbers="\n".join(
            f'<p class="number">Page {number} of {pages}</p>' for number in range(1, pages + 1)
        ),
    )


def stamp_pages(pdf: "pikepdf.Pdf", council_name: str) -> "pikepdf.Pdf":
    """Draw the furniture over every page of `pdf`, numbered over all of them. Returns the
    stamp's own PDF, to be closed once `pdf` is written (its content is copied then)."""
    from weasyprint import HTML

    stamps = open_bytes(HTML(string=stamp_html(council_name, len(pdf.pages))).write_pdf())
    # Each box becomes one form XObject in the pack; the three every page shares are stored
    # once, not once a page.
    council, top, bottom, *numbers = (
        pdf.copy_foreign(page.as_form_xobject()) for page in stamps.pages
    )
    for page, number in zip(pdf.pages, numbers, strict=True):
        _draw(page, _places(page, council=council, top=top, bottom=bottom, number=number))
    return stamps


def _places(page: "pikepdf.Page", **forms) -> list[tuple["pikepdf.Object", "pikepdf.Rectangle"]]:
    """Where each box goes on the page as it is seen (after its /Rotate), as rectangles in
    the page's own coordinates."""
    x0, y0, x1, y1 = (float(value) for value in page.cropbox)
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    width, height = x1 - x0, y1 - y0
    rotation = page.rotation % 360
    seen_width, seen_height = (height, width) if rotation in (90, 270) else (width, height)

    # Narrower on a small page, so it never runs into the marking (the text shrinks to fit).
    council_width = max(min(COUNCIL_WIDTH, seen_width - 2 * EDGE - MARKING_WIDTH - GAP), BAND)
    top = seen_height - FROM_EDGE - BAND
    boxes = [
        (forms["council"], (EDGE, top, EDGE + council_width, top + BAND)),
        (forms["top"], (seen_width - EDGE - MARKING_WIDTH, top, seen_width - EDGE, top + BAND)),
        (
            forms["bottom"],
            (
                (seen_width - MARKING_WIDTH) / 2,
                FROM_EDGE,
                (seen_width + MARKING_WIDTH) / 2,
                FROM_EDGE + BAND,
            ),
        ),
        (
            forms["number"],
            (seen_width - EDGE - NUMBER_WIDTH, FROM_EDGE, seen_width - EDGE, FROM_EDGE + BAND),
        ),
    ]
    return [(form, _on_page(box, rotation, x0, y0, width, height)) for form, box in boxes]


def _on_page(box, rotation: int, x0: float, y0: float, width: float, height: float):
    """A rectangle on the page as it is seen, in the page's coordinates."""
    import pikepdf

    def point(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            return x0 + width - y, y0 + x
        if rotation == 180:
            return x0 + width - x, y0 + height - y
        if rotation == 270:
            return x0 + y, y0 + height - x
        return x0 + x, y0 + y

    (ax, ay), (bx, by) = point(box[0], box[1]), point(box[2], box[3])
    return pikepdf.Rectangle(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _draw(page: "pikepdf.Page", places: Iterable[tuple["pikepdf.Object", "pikepdf.Rectangle"]]):
    """Draw the forms over the page. Like pikepdf's add_overlay, but the page's resources
    become its own first (many pages of one source may share theirs) and its content is left
    as it is, not decoded and joined into one stream."""
    import pikepdf

    resources = page.obj.get("/Resources")
    own = pikepdf.Dictionary(dict(resources.items()) if resources is not None else {})
    xobjects = own.get("/XObject")
    own.XObject = pikepdf.Dictionary(dict(xobjects.items()) if xobjects is not None else {})
    page.obj.Resources = own
    drawn = []
    for form, rect in places:
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="PackStamp")
        # /Rotate is undone, so the box reads upright on the page as it is seen.
        drawn.append(page.calc_form_xobject_placement(form, name, rect, allow_shrink=True))
    # The page's own drawing in q ... Q, so whatever state it leaves does not move the stamp.
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n" + b"\n".join(drawn) + b"\n")
