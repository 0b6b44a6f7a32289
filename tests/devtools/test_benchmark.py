"""``manage.py benchmark``: every key page through the full stack, figures as a table and JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cooperation.core.partial_dates import PartialDate
from cooperation.devtools.management.commands.benchmark import KINDS
from tests import factories as f

pytestmark = pytest.mark.django_db

KEYS = {"name", "kind", "path", "p50_ms", "p95_ms", "max_ms", "queries"}


@pytest.fixture
def registry():
    """A little of everything, so that every page the benchmark asks for exists."""
    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    topic = f.TopicFactory(slug="asylum", name="Asylum")
    source = f.SourceFactory(slug="report")
    agreement = f.AgreementFactory(parties=[iom, f.PartnerFactory()], signed=PartialDate(2016, 5))
    agreement.topics.set([topic])
    for n in range(3):
        project = f.ProjectFactory(topics=[topic], start=PartialDate(2016))
        f.ProjectPartnerFactory(project=project, partner=iom)
        meeting = f.MeetingFactory(partners=[iom], start=PartialDate(2016, 3, n + 1), title=f"Migration talks {n}")
        meeting.participants.set([f.PersonFactory()])
        f.CitationFactory(source=source, content_object=meeting)
    f.OfficeFactory(partner=iom)


def benchmark(tmp_path, *arguments):
    out = StringIO()
    path = tmp_path / "bench.json"
    call_command("benchmark", "--repeat", "2", "--warmup", "0", "--json", str(path), *arguments, stdout=out)
    return out.getvalue(), json.loads(path.read_text())


def test_every_key_page_answers_and_the_json_has_the_agreed_shape(registry, tmp_path):
    output, figures = benchmark(tmp_path)

    assert list(figures) == ["pages"]
    pages = figures["pages"]
    for page in pages:
        assert set(page) == KEYS
        assert isinstance(page["name"], str) and isinstance(page["path"], str) and page["path"].startswith("/")
        assert page["kind"] in KINDS
        assert all(isinstance(page[key], float) for key in ("p50_ms", "p95_ms", "max_ms"))
        assert 0 < page["p50_ms"] <= page["p95_ms"] <= page["max_ms"]
        assert isinstance(page["queries"], int) and page["queries"] >= 0
    names = {page["name"] for page in pages}
    for name in [
        "home",
        "meetings",
        "meetings with one filter",
        "meetings with three filters",
        "meetings sorted by title",
        "meetings page 400",
        "projects with three filters",
        "partner (most meetings) page",
        "meeting page",
        "topic (most projects) page",
        "source page",
        "year page",
        "search, a common word",
        "meetings CSV, three filters",
        "API meetings",
        "admin meetings changelist",
    ]:
        assert name in names
    assert {page["kind"] for page in pages} == set(KINDS)
    by_name = {page["name"]: page for page in pages}
    assert by_name["meetings with three filters"]["path"] == "/meetings/?partner=iom&kind=bilateral-meeting&year=2016"
    # The table: one line a page, with its status.
    lines = [line for line in output.splitlines() if line.rstrip().endswith(" 200")]
    assert len(lines) == len(pages)
    assert "load average" in output


def test_only_some_pages_and_the_user_it_made_is_gone(registry, tmp_path, django_user_model):
    _output, figures = benchmark(tmp_path, "--only", "admin")

    assert [page["name"] for page in figures["pages"]] == ["admin meetings changelist"]
    assert not django_user_model.objects.filter(username__startswith="benchmark-").exists()


def test_pages_that_need_missing_records_are_left_out_and_named(tmp_path):
    output, figures = benchmark(tmp_path)

    assert "Left out (nothing in the database to show):" in output
    names = {page["name"] for page in figures["pages"]}
    assert "home" in names and "meeting page" not in names


@pytest.mark.parametrize(
    ("arguments", "message"), [(["--only", "nothing-like-this"], "No page is left"), (["--repeat", "0"], "--repeat")]
)
def test_bad_arguments_are_refused(registry, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        benchmark(tmp_path, *arguments)
