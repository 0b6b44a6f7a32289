"""A seed source's ``file:`` and ``label:``: the registry's copy stored as the source's file
(cooperation/seed/files.py, cooperation/seed/records.py)."""

import textwrap

import pytest

from cooperation.models import Source
from cooperation.seed.loader import DEFAULT_SEED_FILE, SEED_DATA_DIR, SeedDataError
from cooperation.seed.services import load_seed

pytestmark = pytest.mark.django_db

SEED = """
    sources:
      - slug: doc-a
        title: International cooperation
        label: overview to 2008
        publisher: SMS
        retrieved: "2024-03"
        file: copies/doc-a.txt
"""


def write(tmp_path, text, copy=b"The first paragraph of the copy, in a sentence.\n"):
    (tmp_path / "copies").mkdir(exist_ok=True)
    (tmp_path / "copies" / "doc-a.txt").write_bytes(copy)
    path = tmp_path / "seed.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_seed_stores_each_sources_copy_as_its_file_and_labels_the_two_with_one_title():
    load_seed(path=DEFAULT_SEED_FILE)

    for source in Source.objects.all():
        name = source.reference.removeprefix("seeds/")
        assert source.file.name == f"sources/{name}", source.slug
        assert source.file.read() == (SEED_DATA_DIR / "sources" / name).read_bytes()
        assert source.has_text
    assert sorted(Source.objects.exclude(label="").values_list("slug", "label")) == [
        ("sms-international-cooperation-2008", "overview to 2008"),
        ("sms-international-cooperation-2017", "overview to 2017"),
    ]


def test_a_seed_file_is_stored_once_and_a_changed_copy_replaces_it(tmp_path):
    path = write(tmp_path, SEED)

    load_seed(path=path)
    source = Source.objects.get(slug="doc-a")
    again = load_seed(path=path)
    changed = load_seed(path=write(tmp_path, SEED, copy=b"A corrected copy of the page, in a sentence.\n"))

    assert (source.label, str(source.retrieved), source.display_name) == (
        "overview to 2008",
        "March 2024",
        "International cooperation (overview to 2008), SMS, retrieved March 2024",
    )
    assert source.file.name == "sources/doc-a.txt"
    assert again.summary()["Source"] == {"unchanged": 1}
    assert changed.summary()["Source"] == {"updated": 1}
    assert Source.objects.get(slug="doc-a").file.read() == b"A corrected copy of the page, in a sentence.\n"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("copies/missing.txt", "sources “doc-a”: file: there is no file “copies/missing.txt” in "),
        ("../../etc/passwd", "sources “doc-a”: file: there is no file “../../etc/passwd” in "),
        ("copies/doc-a.svg", "sources “doc-a”: file: there is no file"),
    ],
)
def test_a_seed_file_that_is_not_there_names_the_record(tmp_path, file, message):
    path = write(tmp_path, SEED.replace("copies/doc-a.txt", file))

    with pytest.raises(SeedDataError) as error:
        load_seed(path=path)

    assert str(error.value).startswith(message)
    assert not Source.objects.exists()


def test_a_seed_file_of_a_type_the_registry_does_not_keep_is_refused(tmp_path):
    path = write(tmp_path, SEED.replace("copies/doc-a.txt", "copies/doc-a.svg"))
    (tmp_path / "copies" / "doc-a.svg").write_bytes(b"<svg onload='alert(1)'/>")

    with pytest.raises(SeedDataError, match="sources “doc-a”: file: “doc-a.svg” is not a type of file the registry"):
        load_seed(path=path)
