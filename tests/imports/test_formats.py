"""docs/data-format.md says what each list's export holds, as cooperation/imports/formats.py
declares it."""

import re

import pytest

from cooperation.imports import formats
from tests.helpers.exports import LIST_VIEWS

pytestmark = pytest.mark.django_db


def test_data_format_document_has_every_lists_columns_as_declared():
    text = formats.DATA_FORMAT.read_text(encoding="utf-8")
    tables = formats.data_format_tables(text)
    assert tables == {name: formats.column_table(spec) for name, spec in formats.SPECS.items()}, (
        "docs/data-format.md is out of date: run "
        '`manage.py shell -c "from cooperation.imports.formats import write_data_format as w; w()"`'
    )


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_data_format_document_names_each_lists_filters_and_sorts(name):
    text = formats.DATA_FORMAT.read_text(encoding="utf-8")
    section = text.split(f"(`/{name}/`)", 1)[1].split("<!-- columns", 1)[0]
    view = LIST_VIEWS[name]
    filters = re.search(r"Filters: (.*?)\. Sorts:", section, re.S)[1]
    sorts = re.search(r"Sorts: (.*?)\.\n", section, re.S)[1]
    assert re.findall(r"`(\w+)`", filters) == list(view.filterset_class.base_filters)
    assert re.findall(r"`(\w+)`", sorts) == list(view.sort_options)
    assert f"`{next(iter(view.sort_options))}` (default)" in sorts


def test_write_data_format_rewrites_only_the_tables(tmp_path):
    text = formats.DATA_FORMAT.read_text(encoding="utf-8")
    stale = text.replace("| `slug` |", "| `slug_old` |", 1)
    copy = tmp_path / "data-format.md"
    copy.write_text(stale, encoding="utf-8")
    assert formats.write_data_format(copy) is True
    assert copy.read_text(encoding="utf-8") == text
    assert formats.write_data_format(copy) is False


def test_data_format_document_lists_the_columns_in_each_language():
    text = formats.DATA_FORMAT.read_text(encoding="utf-8")
    assert formats.languages_block(text) == formats.languages_table()
    assert "| projects | `title`, `short_title`, `phase`, `description` |" in formats.languages_table()
