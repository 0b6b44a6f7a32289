"""A seed source's ``file:``: the registry's copy of the document, kept beside the seed file
(``cooperation/seed/data/sources/``), stored as the source's file.

The copy is checked as an upload is (cooperation/core/document_files.py) and written to the
file storage under the field's folder (``sources/<name>``) unless the storage already holds the
same bytes, there or under the source's current file: a second load writes nothing.
"""

import hashlib
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from cooperation.core.document_files import check_document_file
from cooperation.models import Source
from cooperation.seed.loader import Section, error_messages, fail


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_digest(storage: Any, name: str) -> str | None:
    """The digest of the stored file ``name`` (None if the storage has none)."""
    if not name or not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        return digest(handle.read())


def stored_file(*, section: Section, slug: str, raw: Any, files_dir: Path, current: FieldFile | None) -> str:
    """The storage name of the file ``raw`` names (a path relative to ``files_dir``), stored if
    it is not already; '' when the record names none."""
    if raw in (None, ""):
        return ""
    if not isinstance(raw, str):
        fail(section, slug, "file: give the path of the document's copy, e.g. sources/000_copy.txt.")
    root = files_dir.resolve()
    path = (root / raw).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        fail(section, slug, f"file: there is no file “{raw}” in {root}.")
    content = path.read_bytes()
    try:
        check_document_file(
            BytesIO(content), name=path.name, size=len(content), max_bytes=settings.SOURCE_FILE_MAX_BYTES
        )
    except ValidationError as error:
        fail(section, slug, f"file: {error_messages(error)}")
    field = Source._meta.get_field("file")
    storage = field.storage
    wanted = digest(content)
    name = field.generate_filename(None, path.name)
    for candidate in (current.name if current else "", name):
        if candidate and stored_digest(storage, candidate) == wanted:
            return candidate
    return storage.save(name, ContentFile(content))
