"""``manage.py benchmark``: every key page through the full stack, figures as a table and JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cooperation.core.partial_dates import PartialDate
from cooperation.devtools.management.commands.benchmark import KINDS
from tests import factories as f

pytestmark = pytest.mark.django_db

WARM = {"p50_ms", "p95_ms", "max_ms"}
COLD = {"cold_p50_ms", "cold_p95_ms", "cold_max_ms"}
KEYS = {"name", "kind", "path", "queries", "cold_queries", "cold_target_ms", "cold_meets_target"} | WARM | COLD


@pytest.fixture(autouse=True)
def short_loop(monkeypatch):
    """The machine's speed timed on a loop of a hundredth of the length: the same code, a
    fiftieth of a second a run rather than two."""
    monkeypatch.setattr("cooperation.devtools.management.commands.benchmark.LOOP_SIZE", 30_000)


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
    arguments = ["--repeat", "2", "--cold-repeat", "1", "--warmup", "0", *arguments]
    call_command("benchmark", "--json", str(path), *arguments, stdout=out)
    return out.getvalue(), json.loads(path.read_text())


def test_every_key_page_answers_and_the_json_has_the_agreed_shape(registry, tmp_path):
    output, figures = benchmark(tmp_path)

    assert list(figures) == ["machine", "pages"]
    # The machine's speed before and after the pages, as the table says it.
    before, after = figures["machine"]["loop_ms"]
    assert before > 0 and after > 0
    assert f"the machine's loop {before:.0f} ms;" in output
    assert f"This machine's loop (docs/performance.md): {before:.0f} ms before the pages, {after:.0f} after." in output
    pages = figures["pages"]
    for page in pages:
        assert set(page) == KEYS
        assert isinstance(page["name"], str) and isinstance(page["path"], str) and page["path"].startswith("/")
        assert page["kind"] in KINDS
        assert all(isinstance(page[key], float) for key in WARM | COLD)
        assert 0 < page["p50_ms"] <= page["p95_ms"] <= page["max_ms"]
        assert 0 < page["cold_p50_ms"] <= page["cold_p95_ms"] <= page["cold_max_ms"]
        assert isinstance(page["queries"], int) and page["queries"] >= 0
        # A cold request computes what a warm one reads from the cache.
        assert isinstance(page["cold_queries"], int) and page["cold_queries"] >= page["queries"]
        assert page["cold_meets_target"] == (
            None if page["cold_target_ms"] is None else page["cold_p95_ms"] <= page["cold_target_ms"]
        )
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
    # Issue #16's cold targets, by kind of page.
    targets = {page["name"]: page["cold_target_ms"] for page in pages}
    assert targets["home"] == targets["meetings with one filter"] == targets["year page"] == 150.0
    assert targets["search, a common word"] == targets["API meetings"] == 150.0
    assert targets["meeting page"] == targets["partner (most meetings) page"] == 50.0
    assert targets["admin meetings changelist"] == 300.0
    assert targets["sitemap"] is None and targets["meetings CSV, three filters"] is None
    assert "Cold targets:" in output


def test_a_page_warm_and_cold_side_by_side(registry, tmp_path):
    output, figures = benchmark(tmp_path, "--repeat", "1", "--cold-repeat", "1", "--only", "home")

    [page] = figures["pages"]
    assert page["name"] == "home"
    assert page["p50_ms"] == page["p95_ms"] == page["max_ms"] > 0
    assert page["cold_p50_ms"] == page["cold_p95_ms"] == page["cold_max_ms"] > 0
    lines = output.splitlines()
    assert "warm: 1 timed" in lines[1] and "cold: 1 timed, the cache emptied before each" in lines[1]
    assert lines[2].split() == ["warm", "ms", "cold", "ms", "cold", "p95"]
    assert lines[3].split() == ["page", "kind", "p50", "p95", "max", "queries", "p50", "p95", "target", "status"]
    [row] = [line for line in lines if line.startswith("home ")]
    mark = "✓" if page["cold_meets_target"] else "✗"
    assert row.split() == [
        "home",
        "list",
        f"{page['p50_ms']:.1f}",
        f"{page['p95_ms']:.1f}",
        f"{page['max_ms']:.1f}",
        str(page["queries"]),
        f"{page['cold_p50_ms']:.1f}",
        f"{page['cold_p95_ms']:.1f}",
        "≤",
        "150",
        mark,
        "200",
    ]
    assert f"Cold targets: {1 if page['cold_meets_target'] else 0} of 1 pages with a target meet it" in output


def test_cold_only_and_warm_only(registry, tmp_path):
    _output, cold = benchmark(tmp_path, "--cold", "--only", "meeting page")
    _output, warm = benchmark(tmp_path, "--cold-repeat", "0", "--only", "meeting page")

    [cold_page], [warm_page] = cold["pages"], warm["pages"]
    assert cold_page["p50_ms"] is None and cold_page["queries"] is None and cold_page["cold_p95_ms"] > 0
    assert warm_page["cold_p50_ms"] is None and warm_page["cold_meets_target"] is None and warm_page["p95_ms"] > 0


def test_only_some_pages_and_the_user_it_made_is_gone(registry, tmp_path, django_user_model):
    _output, figures = benchmark(tmp_path, "--only", "admin")

    assert [page["name"] for page in figures["pages"]] == ["admin meetings changelist"]
    assert not django_user_model.objects.filter(username__startswith="benchmark-").exists()


def test_a_page_that_fails_is_named_and_the_others_are_still_measured(registry, tmp_path, monkeypatch):
    def broken():
        raise RuntimeError("a page that fails")

    monkeypatch.setattr("cooperation.pages.home.home_summary", broken)
    out = StringIO()

    with pytest.raises(CommandError, match=r"Pages that did not answer 200: home \(500\)\.$"):
        call_command("benchmark", "--repeat", "1", "--cold-repeat", "1", "--warmup", "0", "--only", "h", stdout=out)

    rows = [line.split() for line in out.getvalue().splitlines()[4:] if line[-3:].isdigit()]
    assert (rows[0][0], rows[0][-1]) == ("home", "500")
    assert len(rows) > 10 and {row[-1] for row in rows[1:]} == {"200"}  # "with", "search", "three" …


def test_pages_that_need_missing_records_are_left_out_and_named(tmp_path):
    output, figures = benchmark(tmp_path)

    assert "Left out (nothing in the database to show):" in output
    names = {page["name"] for page in figures["pages"]}
    assert "home" in names and "meeting page" not in names


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--only", "nothing-like-this"], "No page is left"),
        (["--repeat", "0"], "--repeat"),
        (["--cold-repeat", "-1"], "--cold-repeat"),
        (["--cold", "--cold-repeat", "0"], "measure nothing"),
        (["--under-edits", "--only", "meetings with"], "--under-edits measures one page"),
    ],
)
def test_bad_arguments_are_refused(registry, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        benchmark(tmp_path, *arguments)


def test_under_edits_hands_the_page_to_load_test(registry, tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing answers: it stops before gunicorn starts

    with pytest.raises(CommandError, match="Redis does not answer at redis://127.0.0.1:1/0"):
        benchmark(tmp_path, "--under-edits", "--only", "projects with one filter")


def test_the_csv_whose_lines_are_stored_is_measured_cold_with_its_lines_and_without(registry, tmp_path):
    output, figures = benchmark(tmp_path, "--only", "projects CSV")
    stored, made = figures["pages"]
    assert (stored["name"], made["name"]) == ("projects CSV, one topic", "projects CSV made anew, one topic")
    assert stored["path"] == made["path"]
    # Cold, the first reads the lines the warm requests kept; the second makes them again (the
    # rows read once more, and their partners, topics, agreements, money and sources).
    assert stored["cold_queries"] == stored["queries"]
    assert made["cold_queries"] > made["queries"] + 5


def test_the_calendar_is_measured_cold_with_its_kept_events_and_without(registry, tmp_path):
    output, figures = benchmark(tmp_path, "--only", "meetings calendar")
    kept, made = figures["pages"]
    assert (kept["name"], made["name"]) == ("meetings calendar", "meetings calendar made anew")
    # Cold, the first reads the events the warm requests kept; the second makes them again (the
    # meetings read once more, and their partners) and keeps them.
    assert kept["cold_queries"] == kept["queries"] == 2
    assert made["cold_queries"] > made["queries"]


def test_an_export_that_fails_while_streaming_is_named(registry, tmp_path, monkeypatch):
    def broken(start, end, language):
        raise TypeError("a row that fails")

    monkeypatch.setattr("cooperation.core.exports._period_as_written", broken)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match=r"did not answer 200: projects CSV, one topic \(500\)\.$"):
        call_command(
            "benchmark",
            "--repeat",
            "1",
            "--cold-repeat",
            "1",
            "--only",
            "projects CSV, one topic",
            stdout=out,
            stderr=err,
        )

    assert "projects CSV, one topic: /projects/?topic=asylum&format=csv failed while streaming: TypeError" in (
        err.getvalue()
    )


def test_explain_writes_each_pages_slowest_cold_query_and_its_plan(registry, tmp_path, settings):
    from django.db import connection

    path = tmp_path / "plans.md"
    arguments = ["--repeat", "1", "--cold-repeat", "1", "--warmup", "0", "--only", "meetings", "--explain", str(path)]
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="--explain needs PostgreSQL"):
            call_command("benchmark", *arguments, stdout=StringIO())
        assert not path.exists()
        return
    out = StringIO()
    call_command("benchmark", *arguments, stdout=out)

    text = path.read_text()
    sections = text.split("\n### ")[1:]
    assert sections and all("meetings" in section.split("\n")[0].lower() for section in sections)
    first = sections[0]
    assert "queries uncached; the slowest took" in first
    assert "```sql\nSELECT" in first
    assert "Execution Time:" in first and "Buffers:" in first
    assert f"Wrote the plans of {len(sections)} pages to {path}." in out.getvalue()
