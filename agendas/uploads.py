"""What an uploaded file really is, read from its content: its name proves nothing."""

import zipfile
import zlib
from dataclasses import dataclass

import filetype


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    label: str


ACCEPTED = {
    kind.extension: kind
    for kind in (
        Kind("pdf", "application/pdf", "PDF"),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word (DOCX)",
        ),
        Kind("doc", "application/msword", "Word 97–2003 (DOC)"),
        Kind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"),
        Kind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel (XLSX)",
        ),
        Kind("png", "image/png", "PNG image"),
        Kind("jpg", "image/jpeg", "JPEG image"),
    )
}
ACCEPTED_IN_WORDS = "PDF, Word (DOCX or DOC), OpenDocument text (ODT), Excel (XLSX), PNG or JPEG"

# The part each zip-based format must hold, checked in the archive's directory, because a
# sniffer reading only the first bytes sees any zip file the same way.
_ZIP_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Whatever a damaged, encrypted or hostile archive raises on reading is a refusal, not a 500.
_UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    KeyError,
    EOFError,
    RuntimeError,  # an encrypted entry
    NotImplementedError,  # a compression method zipfile does not read
    ValueError,
    zlib.error,
)


def identify(file) -> Kind | None:
    """The accepted kind of this file, or None. Leaves the file at its start."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    guess = filetype.guess(head)
    extension = guess.extension if guess else None
    if extension in ("zip", "docx", "xlsx", "odt"):
        extension = _zip_kind(file)
    return ACCEPTED.get(extension)


def _zip_kind(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and _read_mimetype(archive) == _ODT_MIMETYPE:
                return "odt"
            for extension, marker in _ZIP_MARKERS.items():
                if marker in names and "[Content_Types].xml" in names:
                    return extension
    except _UNREADABLE_ZIP:
        return None
    finally:
        file.seek(0)
    return None


def _read_mimetype(archive: zipfile.ZipFile) -> bytes:
    # Read no more than the longest answer: the entry may be a zip bomb.
    with archive.open("mimetype") as entry:
        return entry.read(len(_ODT_MIMETYPE) + 2).strip()
