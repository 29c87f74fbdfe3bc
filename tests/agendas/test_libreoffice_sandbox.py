"""LibreOffice in a sandbox (issue 14): a Word file whose picture is linked from a server on
127.0.0.1 made the worker's LibreOffice fetch it. Now the conversion has no network (its own
namespace), the document's links are taken out before it is converted, and a converter
killed mid-conversion leaves no LibreOffice behind. Each layer is proved on its own."""

import contextlib
import io
import logging
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from agendas import packing
from agendas.packing import Unusable

ROOT = Path(__file__).resolve().parents[2]
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    b"</Relationships>"
)


def zipped(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def linked_picture_docx(url: str, text: str = "Linked picture below") -> bytes:
    """A Word document whose only picture is linked (r:link), not embedded, from `url`."""
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + W + b" "
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        b'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        b'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>'
        b"<w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p><w:p><w:r><w:drawing>"
        b'<wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="Picture 1"/>'
        b'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        b'picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="x.png"/><pic:cNvPicPr/>'
        b'</pic:nvPicPr><pic:blipFill><a:blip r:link="rIdImg"/><a:stretch><a:fillRect/>'
        b'</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext '
        b'cx="952500" cy="952500"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
        b"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body>"
        b"</w:document>"
    )
    relationships = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rIdImg" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/image" Target="'
        + url.encode()
        + b'" TargetMode="External"/></Relationships>'
    )
    return zipped(
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", relationships),
    )


@pytest.fixture
def listener():
    """A server on 127.0.0.1 that records every connection made to it."""
    received: list[bytes] = []

    class Record(socketserver.BaseRequestHandler):
        def handle(self):
            received.append(self.request.recv(4096) or b"(connected)")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}/secret.png"
    yield server
    server.shutdown()
    server.server_close()


def convert(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    source = folder / "document.docx"
    source.write_bytes(content)
    with pikepdf.open(packing.convert_with_libreoffice("docx", source, folder)) as pdf:
        assert len(pdf.pages) == 1


# The SSRF, and each layer that stops it -----------------------------------------------------


@pytest.mark.libreoffice
def test_without_the_sandbox_libreoffice_fetches_the_linked_picture(listener, tmp_path, settings):
    """The test's document is the attack: converted as before, it reaches the listener."""
    source = tmp_path / "linked.docx"
    source.write_bytes(linked_picture_docx(listener.url))
    subprocess.run(  # noqa: S603 - the configured LibreOffice, on a file the test made
        [
            settings.LIBREOFFICE_PATH,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    time.sleep(0.5)
    assert listener.received
    assert b"/secret.png" in listener.received[0]


@pytest.mark.libreoffice
def test_a_linked_picture_is_never_fetched(listener, tmp_path):
    assert packing.sandbox(), "this machine can make namespaces: the test must use one"
    convert(tmp_path, linked_picture_docx(listener.url))
    time.sleep(0.5)
    assert listener.received == []


@pytest.mark.libreoffice
def test_with_no_namespace_the_links_taken_out_still_stop_it(listener, tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "sandbox", lambda: ())
    convert(tmp_path, linked_picture_docx(listener.url))
    time.sleep(0.5)
    assert listener.received == []


@pytest.mark.libreoffice
def test_with_the_links_left_in_the_namespace_still_stops_it(listener, tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "disarm", lambda extension, source: None)
    convert(tmp_path, linked_picture_docx(listener.url))
    time.sleep(0.5)
    assert listener.received == []


def test_without_unshare_it_runs_with_a_warning(monkeypatch, caplog):
    # Set on the module's logger: a real Celery worker started earlier in the run leaves the
    # root logger at ERROR.
    caplog.set_level(logging.WARNING, logger=packing.logger.name)
    packing.sandbox.cache_clear()
    monkeypatch.setattr(packing.shutil, "which", lambda name: None)
    try:
        assert packing.sandbox() == ()
    finally:
        packing.sandbox.cache_clear()
    assert "LibreOffice runs WITHOUT a network sandbox" in caplog.text
    assert "not installed" in caplog.text


def test_the_converter_runs_limited_alone_and_with_nothing_of_the_worker(tmp_path, settings):
    """A stand-in for soffice reports what it was given: its limits, its network, its
    environment and its profile."""
    if not packing.sandbox():
        pytest.skip("namespaces are not allowed here")
    settings.LIBREOFFICE_MEMORY_LIMIT_MB = 1000
    settings.LIBREOFFICE_CPU_LIMIT_SECONDS = 42
    report = tmp_path / "report"
    fake = tmp_path / "soffice"
    fake.write_text(
        "#!/bin/sh\n"
        f"{{ ulimit -v; ulimit -t; readlink /proc/self/ns/net; env; }} > {report}\n"
        'for last; do :; done\nmkdir -p "$(dirname "$last")/converted"\n'
        f"cp {ROOT / 'tests' / 'agendas' / '__init__.py'} "
        '"$(dirname "$last")/converted/document.pdf"\n'
    )
    fake.chmod(0o755)
    settings.LIBREOFFICE_PATH = str(fake)
    folder = tmp_path / "work"
    folder.mkdir()
    source = folder / "document.odt"
    source.write_bytes(zipped(("mimetype", b"application/vnd.oasis.opendocument.text")))
    os.environ["DATABASE_URL_FOR_THE_TEST"] = "postgres://secret@db/permanence"
    try:
        packing.convert_with_libreoffice("odt", source, folder)
    finally:
        del os.environ["DATABASE_URL_FOR_THE_TEST"]
    memory, cpu, network, *environment = report.read_text().splitlines()
    assert int(memory) == 1000 * 1024  # ulimit -v counts KB
    assert int(cpu) == 42
    assert network != os.readlink("/proc/self/ns/net")  # a network of its own
    assert not any("secret" in line for line in environment)
    assert f"HOME={folder}" in environment
    profile = folder / "libreoffice-profile" / "user" / "registrymodifications.xcu"
    assert '"DisableMacrosExecution" oor:op="fuse"><value>true' in profile.read_text()


@pytest.mark.libreoffice
def test_a_conversion_over_its_memory_limit_fails_as_a_page_saying_so(tmp_path, settings):
    """The limit reaches the real soffice.bin: at 64 MB it cannot even start."""
    settings.LIBREOFFICE_MEMORY_LIMIT_MB = 64
    with pytest.raises(Unusable, match="LibreOffice could not turn it into a PDF"):
        convert(tmp_path, linked_picture_docx("http://127.0.0.1:9/x.png"))


# Killed mid-conversion ----------------------------------------------------------------------

KILLED = """
import sys
from pathlib import Path
import django
django.setup()
from agendas import packing
if sys.argv[3] == "bare":
    packing.sandbox = lambda: ()
    packing._limits = lambda **limits: None
packing.convert_with_libreoffice("docx", Path(sys.argv[1]), Path(sys.argv[2]))
"""


def processes_in(folder: Path) -> list[int]:
    """Processes whose command line names the folder (LibreOffice's profile is in it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(folder).encode() in command and b"soffice.bin" in command:
                found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    return condition()


def kill_mid_conversion(folder: Path, mode: str) -> None:
    """Start a converter in a process of its own and SIGKILL it while soffice.bin runs, as
    a worker is killed by its hard time limit or the OOM killer."""
    folder.mkdir()
    source = folder / "document.docx"
    long_text = "".join(f"<w:p><w:r><w:t>Paragraph {n}</w:t></w:r></w:p>" for n in range(20000))
    body = b"<w:document " + W + b"><w:body>" + long_text.encode() + b"</w:body></w:document>"
    source.write_bytes(
        zipped(
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("word/document.xml", body),
        )
    )
    converter = subprocess.Popen(  # noqa: S603 - this interpreter, the test's own script
        [sys.executable, "-c", KILLED, str(source), str(folder), mode],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)},
    )
    try:
        assert wait_for(lambda: processes_in(folder), 60), "soffice.bin never started"
        assert converter.poll() is None  # still converting
    finally:
        converter.send_signal(signal.SIGKILL)
        converter.wait()


@pytest.mark.libreoffice
def test_a_converter_killed_mid_conversion_leaves_no_libreoffice_behind(tmp_path):
    assert packing.sandbox(), "this machine can make namespaces: the test must use one"
    folder = tmp_path / "work"
    kill_mid_conversion(folder, "sandboxed")
    assert wait_for(lambda: not processes_in(folder), 10)


@pytest.mark.libreoffice
def test_without_the_sandbox_a_killed_converter_would_leave_libreoffice_behind(tmp_path):
    """The control: the same kill, started as before, leaves soffice.bin running. The test
    ends what it left."""
    folder = tmp_path / "work"
    kill_mid_conversion(folder, "bare")
    time.sleep(1)
    left = processes_in(folder)
    try:
        assert left
    finally:
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# Taking the links out ------------------------------------------------------------------------


def disarmed(tmp_path: Path, extension: str, content: bytes) -> dict[str, bytes]:
    source = tmp_path / f"document.{extension}"
    source.write_bytes(content)
    packing.disarm(extension, source)
    with zipfile.ZipFile(source) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_external_relationships_go_and_the_package_s_own_and_hyperlinks_stay(tmp_path):
    relationships = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships">'
        b'<Relationship Id="rId1" Type="t/image" Target="media/image1.png"/>'
        b'<Relationship Id="rId2" Type="t/image" Target="http://127.0.0.1:8299/x" '
        b'TargetMode="External"/>'
        b"<Relationship Id='rId3' Type='t/subDocument' Target='file:///etc/passwd' "
        b"TargetMode='External'></Relationship>"
        b'<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://www.gov.uk/" TargetMode="External"/>'
        b"</Relationships>"
    )
    parts = disarmed(
        tmp_path,
        "docx",
        zipped(
            ("[Content_Types].xml", CONTENT_TYPES), ("word/_rels/document.xml.rels", relationships)
        ),
    )
    kept = parts["word/_rels/document.xml.rels"]
    assert b'Target="media/image1.png"' in kept
    assert b"127.0.0.1" not in kept and b"/etc/passwd" not in kept
    # A hyperlink stays: a link in the PDF to click, never fetched.
    assert kept.count(b'TargetMode="External"') == 1
    assert b'Target="https://www.gov.uk/" TargetMode="External"' in kept


def test_a_field_that_includes_a_file_is_made_a_quotation(tmp_path):
    document = (
        b"<w:document " + W + b"><w:body><w:p><w:r><w:instrText xml:space='preserve'> "
        b'INCLUDETEXT "file:///etc/passwd" </w:instrText></w:r></w:p>'
        b'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://127.0.0.1/x.png&quot; \\d">'
        b"</w:fldSimple></w:p><w:p><w:r><w:t>LINK and INCLUDE in the text stay</w:t></w:r>"
        b"</w:p></w:body></w:document>"
    )
    parts = disarmed(
        tmp_path,
        "docx",
        zipped(("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", document)),
    )
    kept = parts["word/document.xml"]
    assert b"INCLUDETEXT" not in kept and b"INCLUDEPICTURE" not in kept
    assert kept.count(b"QUOTE") == 2
    assert b"LINK and INCLUDE in the text stay" in kept


def test_opendocument_links_out_go_and_hyperlinks_stay(tmp_path):
    content = (
        b'<office:document-content xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<draw:image xlink:href="http://127.0.0.1:8299/x.png" xlink:type="simple"/>'
        b'<text:section-source xlink:href="file:///etc/passwd"/>'
        b'<draw:image xlink:href="../document-5/document.docx"/>'
        b'<draw:image xlink:href="Pictures/own.png"/>'
        b'<text:a xlink:href="https://www.gov.uk/">GOV.UK</text:a>'
        b"</office:document-content>"
    )
    parts = disarmed(
        tmp_path,
        "odt",
        zipped(("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", content)),
    )
    kept = parts["content.xml"]
    assert b"127.0.0.1" not in kept and b"/etc/passwd" not in kept and b"document-5" not in kept
    assert b'xlink:href="Pictures/own.png"' in kept
    assert b'<text:a xlink:href="https://www.gov.uk/">' in kept
    assert parts["mimetype"] == b"application/vnd.oasis.opendocument.text"


def test_a_document_declaring_entities_is_not_converted(tmp_path):
    document = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<w:document " + W + b"><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body>"
        b"</w:document>"
    )
    source = tmp_path / "document.docx"
    source.write_bytes(
        zipped(("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", document))
    )
    with pytest.raises(Unusable, match="it declares XML entities"):
        packing.disarm("docx", source)


def test_a_document_unpacking_past_the_limit_is_not_converted(tmp_path, settings):
    """A file stored before the upload check, or whose directory lies about its sizes, is
    held to the limit as it is unpacked."""
    settings.DOCUMENT_MAX_UNPACKED_MB = 1
    source = tmp_path / "document.docx"
    source.write_bytes(zipped(("word/document.xml", b"a" * (2 * 1024 * 1024))))
    with pytest.raises(Unusable, match="it unpacks to more than 1 MB"):
        packing.disarm("docx", source)
