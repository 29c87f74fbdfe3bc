"""What an uploaded file really is, read from its content: its name proves nothing. What is
refused even when the kind is right (a zip bomb, macros, a password, a web page inside), and
the name the file goes by."""

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

import filetype
from django.conf import settings


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
UNREADABLE_ZIP = (
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
    except UNREADABLE_ZIP:
        return None
    finally:
        file.seek(0)
    return None


def _read_mimetype(archive: zipfile.ZipFile) -> bytes:
    # Read no more than the longest answer: the entry may be a zip bomb.
    with archive.open("mimetype") as entry:
        return entry.read(len(_ODT_MIMETYPE) + 2).strip()


# What is refused even when the kind is right ------------------------------------------------


class Refused(Exception):
    """Why a file of an accepted kind is not taken, worded to follow its name in quotes."""


# A document's parts unpack to no more than this many entries: a real one has dozens.
MAX_ZIP_ENTRIES = 5000
# Web page markup near the start of a file: a browser that sniffs the type would run it.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|style)\b", re.I
)
_SNIFFED_BYTES = 1024


def check(file, kind: Kind, *, size: int) -> bytes | None:
    """Refuse (`Refused`) a file that is of an accepted kind but must not be stored.
    Returns the content to store instead of the file when something was taken out of it (a
    PDF's scripts), or None to store it as it came. Leaves the file at its start."""
    file.seek(0)
    head = file.read(_SNIFFED_BYTES)
    file.seek(0)
    if _MARKUP.search(head):
        raise Refused(
            f"is a web page as well as a {kind.label} file. Save it again as a "
            f"{kind.label} file and upload that."
        )
    try:
        if kind.extension in _ZIPPED:
            _check_zip(file, kind, size=size)
            return None
        if kind.extension == "pdf":
            return _pdf_without_scripts(file)
        return None
    finally:
        file.seek(0)


_ZIPPED = {"docx", "xlsx", "odt"}


def _check_zip(file, kind: Kind, *, size: int) -> None:
    """Read only the archive's directory and two small entries, never inflate the rest: the
    sizes it declares are what LibreOffice would unpack."""
    limit_mb = settings.DOCUMENT_MAX_UNPACKED_MB
    ratio = settings.DOCUMENT_MAX_UNPACK_RATIO
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            if (
                len(entries) > MAX_ZIP_ENTRIES
                or unpacked > limit_mb * 1024 * 1024
                or unpacked > ratio * max(size, 1)
            ):
                raise Refused(
                    f"would unpack to {unpacked / (1024 * 1024):,.0f} MB, more than a real "
                    f"document does (up to {limit_mb} MB, and {ratio} times its own size). "
                    "Save it as a PDF and upload that."
                )
            if _has_macros(archive, kind):
                raise Refused(
                    f"contains macros. Save it again as {kind.label} without macros, or as a "
                    "PDF, and upload that."
                )
    except UNREADABLE_ZIP:
        raise Refused(f"is damaged and cannot be read as {kind.label}.") from None


_CONTENT_TYPES_READ = 1024 * 1024


def _has_macros(archive: zipfile.ZipFile, kind: Kind) -> bool:
    names = [name.lower() for name in archive.namelist()]
    if kind.extension == "odt":
        return any(name.startswith(("basic/", "scripts/")) for name in names)
    if any(name.endswith(("vbaproject.bin", "vbadata.xml")) for name in names):
        return True
    # A .docm or .xlsm renamed: its main part is declared macro-enabled.
    with archive.open("[Content_Types].xml") as entry:
        return b"macroenabled" in entry.read(_CONTENT_TYPES_READ).lower()


# Actions that run something: a script, a program, or a form sent to a server.
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/RichMediaExecute",
    "/Rendition",
}
# Keys that hold scripts or actions run without a click: on opening, on a page, on a field.
_ACTIVE_KEYS = {"/JS", "/AA", "/OpenAction"}


def _pdf_without_scripts(file) -> bytes | None:
    """A PDF's scripts are taken out, not refused: forms saved from Acrobat carry them, and
    their pages are what panel reads. Refused when it cannot be opened without a password
    or cannot be read at all."""
    import pikepdf  # read here, so only a process that takes uploads loads it

    try:
        pdf = pikepdf.open(file)
    except pikepdf.PasswordError:
        raise Refused(
            "is protected by a password. Save a copy without the password and upload that."
        ) from None
    except (pikepdf.PdfError, ValueError, RuntimeError):
        raise Refused("is damaged and cannot be read as a PDF.") from None
    with pdf:
        removed = remove_scripts(pdf)
        if not removed:
            return None
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def remove_scripts(pdf) -> bool:
    """Take every script and self-running action out of an open PDF; True if any were."""
    import pikepdf

    removed = False
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        del names["/JavaScript"]
        removed = True
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        del form["/XFA"]  # an XML form, which carries its own scripts
        removed = True
    for obj in pdf.objects:
        removed |= _remove_active(obj)
    return removed


def _remove_active(obj) -> bool:
    """Take the active keys and actions out of one object and the objects written inside
    it; objects it refers to are reached through `pdf.objects`."""
    import pikepdf

    removed = False
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in list(obj.keys()):
            value = obj[key]
            if key in _ACTIVE_KEYS or _is_active_action(value):
                del obj[key]
                removed = True
            elif not getattr(value, "is_indirect", True):
                removed |= _remove_active(value)
    elif isinstance(obj, pikepdf.Array):
        for index in reversed(range(len(obj))):
            value = obj[index]
            if _is_active_action(value):
                del obj[index]
                removed = True
            elif not getattr(value, "is_indirect", True):
                removed |= _remove_active(value)
    return removed


def _is_active_action(value) -> bool:
    import pikepdf

    return isinstance(value, pikepdf.Dictionary) and str(value.get("/S", "")) in _ACTIVE_ACTIONS


# The name a document goes by ---------------------------------------------------------------

# Characters no file name needs: controls (CR, LF, NUL…), invisible formatting (the
# right-to-left override that makes "reportfdp.exe" read backwards), line separators,
# private-use and unassigned code points.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MAX_NAME = 255


def clean_name(name: str) -> str:
    """The uploaded name as a label: only its last part (never a path), without characters
    that hide or disguise what it is, at most 255 characters with its extension kept."""
    name = unicodedata.normalize("NFC", name)
    # A line break or tab is a space (CR LF between two words keeps them apart).
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split()).strip(" .")
    return _shortened(name or "document")


def labelled_as(name: str, extension: str) -> str:
    """The label, ending in the extension of what the file really is: a PDF uploaded as
    "evil.html" is "evil.html.pdf", which nothing opens as a web page."""
    name = clean_name(name)
    suffix = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if suffix == extension or (extension == "jpg" and suffix == "jpeg"):
        return name
    return _shortened(f"{name}.{extension}")


def _shortened(name: str) -> str:
    if len(name) <= MAX_NAME:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 8:
        return name[:MAX_NAME]
    return f"{stem[: MAX_NAME - len(suffix) - 1].rstrip(' .')}.{suffix}"
