"""Which files a source may keep, and the refusal of the others (cooperation/core/document_files.py)."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError

from cooperation.core.document_files import check_document_file, document_type


def check(name, content, max_bytes=1000):
    check_document_file(BytesIO(content), name=name, size=len(content), max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("copy.txt", "Azərbaycan Respublikası".encode()),
        ("page.HTML", b"<!doctype html><p>Hello</p>"),
        ("page.htm", b"<p>Hello</p>"),
        ("report.pdf", b"%PDF-1.7\n..."),
        ("scan.png", b"\x89PNG\r\n\x1a\n...."),
        ("scan.jpeg", b"\xff\xd8\xff\xe0...."),
    ],
)
def test_check_document_file_accepts_the_kept_types(name, content):
    check(name, content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "drawing.svg",
            b"<svg onload='alert(1)'/>",
            "“drawing.svg” is not a type of file the registry keeps: upload plain text (.txt), PDF (.pdf), "
            "HTML (.html), PNG (.png) or JPEG (.jpg).",
        ),
        ("program.exe", b"MZ", "“program.exe” is not a type of file the registry keeps"),
        ("no-ending", b"text", "“no-ending” is not a type of file the registry keeps"),
        ("page.pdf", b"<html><script>alert(1)</script>", "“page.pdf” is not a PDF file: its contents do not begin"),
        ("photo.png", b"GIF89a", "“photo.png” is not a PNG image file"),
        ("empty.txt", b"", "“empty.txt” is empty."),
        ("latin.txt", "Bakı".encode("latin-1", errors="replace") + b"\xe7", "“latin.txt” is not UTF-8 text"),
        ("binary.txt", b"abc\x00def", "“binary.txt” is not text: it holds binary data."),
        ("big.txt", b"x" * 1001, "“big.txt” is 1001\xa0bytes; a source's file may be at most 1000\xa0bytes."),
    ],
)
def test_check_document_file_refuses_with_a_message(name, content, message):
    with pytest.raises(ValidationError) as refused:
        check(name, content)

    assert refused.value.messages[0].startswith(message)


def test_document_type_by_name():
    assert document_type("sources/copy.TXT").content_type == "text/plain; charset=utf-8"
    assert document_type("sources/report.pdf").content_type == "application/pdf"
    assert document_type("sources/drawing.svg") is None
