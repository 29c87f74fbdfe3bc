"""Hostile uploads (issue 14): each is refused with a message on the field and nothing
stored, or handled safely; and what a download may never be. Every hostile file is built
here, from a real one."""

import io
import os
import tracemalloc
import zipfile
from datetime import datetime

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from agendas import services
from agendas.models import SubmissionDocument
from tests.factories import PanelFactory, book_into_slot

from .test_packs import RECORD, build, outline, page_text, pdf_file, read, store
from .test_submission_views import urls
from .test_submissions import (
    LONDON,
    NOT_ACCEPTED,
    docx_bytes,
    make_booking,
    odt_bytes,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def booking(time_machine, social_worker):
    time_machine.move_to(datetime(2027, 1, 18, 9, tzinfo=LONDON), tick=False)
    return make_booking(PanelFactory(preset="somerset"), social_worker=social_worker)


@pytest.fixture
def sw_client(client, social_worker, booking):
    client.force_login(social_worker)  # after the clock moved, so the session is fresh
    return client


def post(client, booking, name: str, content: bytes):
    return client.post(urls(booking)["upload"], {"file": upload(name, content)})


def refused(response, tmp_path) -> str:
    """The message on the file field, once nothing at all was stored."""
    assert response.status_code == 200
    assert not SubmissionDocument.objects.exists()
    assert stored_files(tmp_path / "submissions") == []
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert errors[0] in response.content.decode()
    return errors[0]


def stored(response) -> SubmissionDocument:
    assert response.status_code == 302, response.context["form"].errors
    return SubmissionDocument.objects.get()


def zipped(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_with(*extra: tuple[str, bytes], content_types: bytes | None = None) -> bytes:
    """The real DOCX of test_submissions, with entries added or its content types changed."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as original:
        entries = [(name, original.read(name)) for name in original.namelist()]
    if content_types is not None:
        entries = [
            (name, content_types if name == "[Content_Types].xml" else content)
            for name, content in entries
        ]
    return zipped(*entries, *extra)


# Not the kind it says it is ------------------------------------------------------------------


def test_an_html_file_named_pdf_is_refused(sw_client, booking, tmp_path):
    page = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    message = refused(post(sw_client, booking, "report.pdf", page), tmp_path)
    assert message == f"“report.pdf” {NOT_ACCEPTED}"


@pytest.mark.parametrize("name", ["diagram.svg", "diagram.png"])
def test_an_svg_with_script_is_refused(sw_client, booking, tmp_path, name):
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
    )
    assert refused(post(sw_client, booking, name, svg), tmp_path) == f"“{name}” {NOT_ACCEPTED}"


def test_a_pdf_html_polyglot_is_refused(sw_client, booking, tmp_path):
    """A PDF that a browser sniffing its first bytes would run as a page: a comment line of
    markup after the header, which PDF readers skip."""
    real = pdf_file("Polyglot")
    header, rest = real.split(b"\n", 1)
    polyglot = header + b"\n%<html><body><script>alert(1)</script></body></html>\n" + rest
    message = refused(post(sw_client, booking, "evil.html", polyglot), tmp_path)
    assert message == (
        "“evil.html” is a web page as well as a PDF file. Save it again as a PDF file and "
        "upload that."
    )


# Zip bombs and macros ------------------------------------------------------------------------


def test_a_docx_zip_bomb_is_refused_from_its_directory_without_inflating(
    sw_client, booking, tmp_path
):
    # 200 MB of one character deflates to about 200 KB: a thousand times smaller.
    bomb = docx_with(("word/media/padding.xml", b"a" * (200 * MB)))
    assert len(bomb) < MB
    tracemalloc.start()
    try:
        response = post(sw_client, booking, "bomb.docx", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused(response, tmp_path) == (
        "“bomb.docx” would unpack to 200 MB, more than a real document does (up to 250 MB, "
        "and 100 times its own size). Save it as a PDF and upload that."
    )
    assert peak < 20 * MB  # the directory was read, the 200 MB never made


def test_a_docx_is_refused_one_byte_past_the_unpacked_limit(sw_client, booking, tmp_path, settings):
    """The limit on the total the directory declares, at its boundary; random bytes do not
    compress, so the ratio stays near 1."""
    settings.DOCUMENT_MAX_UNPACKED_MB = 1
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(docx_bytes())).infolist())
    padding = os.urandom(MB - unpacked)
    at_limit = docx_with(("word/media/image1.bin", padding))
    assert stored(post(sw_client, booking, "at-limit.docx", at_limit)).extension == "docx"
    SubmissionDocument.objects.all().delete()
    for path in stored_files(tmp_path / "submissions"):
        path.unlink()
    over = docx_with(("word/media/image1.bin", padding + b"x"))
    message = refused(post(sw_client, booking, "over.docx", over), tmp_path)
    assert message.startswith("“over.docx” would unpack to 1 MB, more than a real document")


MACRO_ENABLED = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)


@pytest.mark.parametrize(
    "docm",
    [
        pytest.param(lambda: docx_with(content_types=MACRO_ENABLED), id="macro-enabled-type"),
        pytest.param(
            lambda: docx_with(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 600)),
            id="vba-project",
        ),
    ],
)
def test_a_macro_enabled_docm_renamed_docx_is_refused(sw_client, booking, tmp_path, docm):
    message = refused(post(sw_client, booking, "plan.docx", docm()), tmp_path)
    assert message == (
        "“plan.docx” contains macros. Save it again as Word (DOCX) without macros, or as a "
        "PDF, and upload that."
    )


def test_an_odt_with_basic_macros_is_refused(sw_client, booking, tmp_path):
    with zipfile.ZipFile(io.BytesIO(odt_bytes())) as original:
        entries = [(name, original.read(name)) for name in original.namelist()]
    odt = zipped(*entries, ("Basic/Standard/Module1.xml", b"<module/>"))
    message = refused(post(sw_client, booking, "minutes.odt", odt), tmp_path)
    assert message.startswith("“minutes.odt” contains macros.")


# Empty, too large, locked ----------------------------------------------------------------------


def test_the_upload_page_says_what_is_refused_before_anyone_uploads(sw_client, booking):
    page = sw_client.get(urls(booking)["upload"]).content.decode()
    assert "up to 25 MB, without a password or macros" in page


def test_a_zero_byte_file_is_refused(sw_client, booking, tmp_path):
    assert refused(post(sw_client, booking, "empty.pdf", b""), tmp_path) == "“empty.pdf” is empty."


def test_a_file_over_the_limit_is_refused(sw_client, booking, tmp_path, settings):
    settings.SUBMISSION_MAX_UPLOAD_MB = 1
    content = pdf_file("Big").ljust(MB + 1, b"\n")
    message = refused(post(sw_client, booking, "big.pdf", content), tmp_path)
    assert message == "“big.pdf” is 1.0 MB. Files must be 1 MB or smaller."


def test_an_encrypted_pdf_is_refused(sw_client, booking, tmp_path):
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_file("Locked"))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user="user"))
    message = refused(post(sw_client, booking, "locked.pdf", out.getvalue()), tmp_path)
    assert message == (
        "“locked.pdf” is protected by a password. Save a copy without the password and upload that."
    )


# Scripts in a PDF: taken out -----------------------------------------------------------------


def scripted_pdf() -> bytes:
    """A real PDF with JavaScript everywhere a reader runs it: on opening, in the document's
    names, on a page, behind a link, and chained after a harmless action."""
    with pikepdf.open(io.BytesIO(pdf_file("Scripted report"))) as pdf:
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.OpenAction = script
        pdf.Root.AA = pikepdf.Dictionary(WC=script)
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=[pikepdf.String("run"), pdf.make_indirect(script)])
        )
        page = pdf.pages[0]
        page.obj.AA = pikepdf.Dictionary(O=script)
        link = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=[0, 0, 100, 100],
                A=pdf.make_indirect(
                    pikepdf.Dictionary(
                        S=pikepdf.Name.URI,
                        URI=pikepdf.String("https://example.org/"),
                        Next=pikepdf.Dictionary(
                            S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")
                        ),
                    )
                ),
            )
        )
        page.obj.Annots = pdf.make_indirect([link])
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


ACTIVE = {"/JavaScript", "/JS", "/AA", "/OpenAction", "/Launch"}


def active_parts(pdf: pikepdf.Pdf) -> set[str]:
    found = set()

    def walk(obj):
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key, value in obj.items():
                if key in ACTIVE:
                    found.add(key)
                if isinstance(value, pikepdf.Name) and str(value) in ACTIVE:
                    found.add(str(value))
                if not getattr(value, "is_indirect", True):
                    walk(value)
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                if not getattr(value, "is_indirect", True):
                    walk(value)

    for obj in pdf.objects:
        walk(obj)
    return found


def test_a_pdf_with_javascript_is_stored_without_it_and_keeps_its_pages(
    sw_client, booking, tmp_path
):
    hostile = scripted_pdf()
    with pikepdf.open(io.BytesIO(hostile)) as pdf:
        assert active_parts(pdf) == ACTIVE  # the test's file really carries each of them
    document = stored(post(sw_client, booking, "report.pdf", hostile))
    response = sw_client.get(urls(booking, document)["download"])
    downloaded = b"".join(response.streaming_content)
    assert document.size == len(downloaded) != len(hostile)
    with pikepdf.open(io.BytesIO(downloaded)) as pdf:
        assert active_parts(pdf) == set()
        assert len(pdf.pages) == 1
        # The harmless part of the link stays: a PDF's web links are not scripts.
        assert str(pdf.pages[0].obj.Annots[0].A.URI) == "https://example.org/"


def test_a_pdf_stored_with_its_scripts_brings_none_into_the_pack(meeting, social_worker):
    """A file stored before uploads lost their scripts: its page goes into the pack, its
    scripts do not."""
    booking = book_into_slot(meeting, "Clara Lovelace", 0, social_worker)
    store(booking, RECORD, "record.pdf", scripted_pdf())
    pack = build(meeting)
    with pack.file.open("rb") as file, pikepdf.open(io.BytesIO(file.read())) as pdf:
        assert active_parts(pdf) == set()
    reader = read(pack)
    assert "Scripted report" in page_text(reader, dict(outline(reader)[-1][2])[RECORD])


def test_a_pdf_without_scripts_is_stored_byte_for_byte(sw_client, booking):
    plain = pdf_file("Plain report")
    document = stored(post(sw_client, booking, "report.pdf", plain))
    with document.file.open("rb") as file:
        assert file.read() == plain


# Names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "label"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini\x00.pdf", "win.ini.pdf"),
        ("care\r\nplan.pdf", "care plan.pdf"),
        ("care\x07plan\x1b[31m.pdf", "careplan[31m.pdf"),
        # Shown right to left after U+202E, this reads "reportfdp.exe".
        ("report\u202eexe.pdf", "reportexe.pdf"),
        ("\u200bhidden\u2066.pdf", "hidden.pdf"),
        ("evil.html", "evil.html.pdf"),
    ],
)
def test_a_hostile_name_is_cleaned_into_a_label(sw_client, booking, social_worker, sent, label):
    file = upload("x.pdf", pdf_file("Named"))
    # As a hostile client sends it (filename*=UTF-8''care%0D%0Aplan.pdf), past Django's
    # own clean-up, which the test client's multipart writer cannot carry.
    file._name = sent
    document = services.document_upload(
        booking=booking, requirement=None, upload=file, by=social_worker
    )
    assert document.original_name == label
    response = sw_client.get(urls(booking, document)["download"])
    disposition = response["Content-Disposition"]
    assert disposition.isprintable() and disposition.isascii()
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith(".pdf")


def test_a_300_character_name_keeps_its_extension(sw_client, booking):
    name = "Assessment of the child's needs " * 10 + "final.pdf"
    assert len(name) > 300
    document = stored(post(sw_client, booking, name, pdf_file("Long name")))
    assert len(document.original_name) == 255
    assert document.original_name.endswith(".pdf")
    assert document.original_name.startswith("Assessment of the child's needs")


# Downloads -----------------------------------------------------------------------------------


def test_a_download_is_never_served_as_a_web_page(sw_client, booking, social_worker):
    """Even a row stored before these checks, labelled and typed as HTML: the stored
    extension decides the name and the type."""
    document = SubmissionDocument(
        booking=booking,
        original_name="evil.html",
        extension="pdf",
        content_type="text/html",
        size=10,
        uploaded_by=social_worker,
    )
    document.file.save("x", ContentFile(b"%PDF-1.4\n<html><script>alert(1)</script>"))
    response = sw_client.get(reverse("bookings:document-download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"evil.html.pdf\"; filename*=UTF-8''evil.html.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_a_name_in_another_script_is_kept_in_filename_star(sw_client, booking):
    document = stored(post(sw_client, booking, "Zoë's plan – 2027.pdf", pdf_file("Zoë")))
    response = sw_client.get(urls(booking, document)["download"])
    assert response["Content-Disposition"] == (
        'attachment; filename="Zoe_s plan _ 2027.pdf"; '
        "filename*=UTF-8''Zo%C3%AB%27s%20plan%20%E2%80%93%202027.pdf"
    )


# A request body over the limit -------------------------------------------------------------


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_over_the_limit_is_refused_before_it_is_read(sw_client, booking):
    response = sw_client.generic(
        "POST",
        urls(booking)["upload"],
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * MB),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "The file is too large" in response.content.decode()
    assert "Files must be 25 MB or smaller" in response.content.decode()
    assert not SubmissionDocument.objects.exists()


def test_the_body_limit_at_its_boundary(sw_client, booking, settings):
    settings.REQUEST_BODY_MAX_MB = 1
    at_limit = sw_client.post(
        urls(booking)["upload"], b"x" * MB, content_type="application/octet-stream"
    )
    assert at_limit.status_code == 200  # read, and answered with the form's own message
    over = sw_client.post(
        urls(booking)["upload"], b"x" * (MB + 1), content_type="application/octet-stream"
    )
    assert over.status_code == 413
