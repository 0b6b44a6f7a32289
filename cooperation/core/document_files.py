"""The files a source may keep as its document: which types, how each is served, and the check an
upload goes through before it is stored.

A source's file is the registry's copy of a document, served to the public for download
(``cooperation.views.SourceFileView``). Only types a reader can open safely are kept: plain
text, PDF, HTML, PNG and JPEG. Not SVG (it can carry script), not office formats (macros).
A file is judged by its name's ending *and* its first bytes, so a renamed executable or an HTML
page called ``.pdf`` is refused; text and HTML must be UTF-8.

Nothing here imports a project module.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class DocumentType:
    label: str  # in English, as the staff's messages of an upload say it
    content_type: str
    # The bytes the file must start with (any of them); empty: text, checked as UTF-8 instead.
    signatures: tuple[bytes, ...] = ()

    @property
    def is_text(self) -> bool:
        return not self.signatures

    @property
    def name(self) -> str:
        """The label in the page's language: what a source's page says its copy is."""
        return gettext(self.label)


PLAIN_TEXT = DocumentType(gettext_noop("plain text"), "text/plain; charset=utf-8")
HTML = DocumentType("HTML", "text/html; charset=utf-8")
PDF = DocumentType("PDF", "application/pdf", (b"%PDF-",))
PNG = DocumentType(gettext_noop("PNG image"), "image/png", (b"\x89PNG\r\n\x1a\n",))
JPEG = DocumentType(gettext_noop("JPEG image"), "image/jpeg", (b"\xff\xd8\xff",))

DOCUMENT_TYPES = {
    ".txt": PLAIN_TEXT,
    ".pdf": PDF,
    ".html": HTML,
    ".htm": HTML,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
}
ALLOWED = "plain text (.txt), PDF (.pdf), HTML (.html), PNG (.png) or JPEG (.jpg)"
# The Content-Security-Policy of a served file: nothing it holds runs, loads or frames anything on
# the site's origin (an HTML page or a PDF opened in the browser is a sandbox with no script).
FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'"


def document_type(name: str) -> DocumentType | None:
    """The type of a file by its name's ending (None: not a type the registry keeps)."""
    return DOCUMENT_TYPES.get(PurePosixPath(name or "").suffix.lower())


def check_document_file(file: IO[bytes], *, name: str, size: int, max_bytes: int) -> None:
    """Refuse a file the registry does not keep, with a message saying why and what to do:
    an unknown type, an empty or too large file, contents that are not what the name says."""
    shown = PurePosixPath(name or "").name or "The file"
    kind = document_type(name)
    if kind is None:
        raise ValidationError(
            f"“{shown}” is not a type of file the registry keeps: upload {ALLOWED}.", code="file_type"
        )
    if size == 0:
        raise ValidationError(f"“{shown}” is empty.", code="file_empty")
    if size > max_bytes:
        raise ValidationError(
            f"“{shown}” is {filesizeformat(size)}; a source's file may be at most {filesizeformat(max_bytes)}.",
            code="file_size",
        )
    file.seek(0)
    if kind.is_text:
        content = file.read(max_bytes + 1)
        file.seek(0)
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                f"“{shown}” is not UTF-8 text: save it with the UTF-8 encoding and upload it again.",
                code="file_encoding",
            ) from None
        if "\x00" in text:
            raise ValidationError(f"“{shown}” is not text: it holds binary data.", code="file_content")
        return
    start = file.read(16)
    file.seek(0)
    if not any(start.startswith(signature) for signature in kind.signatures):
        raise ValidationError(
            f"“{shown}” is not a {kind.label} file: its contents do not begin as a {kind.label}'s do. "
            "Check that the name's ending matches the file.",
            code="file_content",
        )


def document_response(file: FieldFile, *, filename: str, private: bool = False) -> FileResponse:
    """A stored document as a download: its type's ``Content-Type``, ``Content-Disposition:
    attachment`` named ``filename`` plus the file's ending, ``X-Content-Type-Options: nosniff``,
    and a sandboxing ``Content-Security-Policy``, so that even an HTML page or a PDF opened in the
    browser runs nothing on the site's origin. A 404 for a type the registry does not keep, or a
    file missing from storage. ``private``: for staff (a draft's file), never kept by a shared cache."""
    kind = document_type(file.name)
    if kind is None:
        raise Http404("This document cannot be served.")
    try:
        handle = file.storage.open(file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("The document's file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename + PurePosixPath(file.name).suffix.lower(),
        content_type=kind.content_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if private:
        patch_cache_control(response, private=True, no_store=True)
    else:
        # Not for long: once a source is unpublished, its file stops being served.
        patch_cache_control(response, public=True, max_age=300)
    return response
