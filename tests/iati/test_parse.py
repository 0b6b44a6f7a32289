"""Reading IATI XML into plain data (cooperation/iati/parse.py): the official worked example, a
real IOM activity without a wrapper, and a file with each kind of mess; no database."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest

from cooperation.iati.parse import NotIatiError, read_activities

FILES = Path(__file__).parent / "files"


def read(name):
    problems = []
    activities = list(read_activities(str(FILES / name), problems))
    return activities, problems


def reasons(activity):
    return [(problem.element, problem.line, problem.reason) for problem in activity.problems]


def test_the_worked_example():
    [activity], problems = read("iati-203-worked-example-annotated.xml")
    assert problems == []
    assert activity.identifier == "AA-AAA-123456789-ABC123"
    assert activity.line == 8
    assert activity.last_updated == datetime.datetime(2014, 9, 10, 7, 15, 37, tzinfo=datetime.UTC)
    assert activity.title.en == "Activity title"
    assert activity.title.others == {"fr": "Titre de l'activité", "es": "Título de la actividad"}
    # The three descriptions, general first, one paragraph each.
    assert (
        activity.description.en.split("\n\n")[1] == "Objectives for the activity, for example from a logical framework."
    )
    assert activity.status == "2"
    assert activity.dates == {
        "1": datetime.date(2012, 4, 15),
        "2": datetime.date(2012, 4, 28),
        "3": datetime.date(2015, 12, 31),
    }
    assert [(org.ref, org.role, org.name.en) for org in activity.organisations] == [
        ("BB-BBB-123456789", "1", "Name of Agency B"),
        ("CC-CCC-123456789", "2", "Name of Agency C"),
        ("AA-AAA-123456789", "3", "Name of Agency A"),
    ]
    assert [(c.element, c.vocabulary, c.code) for c in activity.classifications] == [
        ("sector", "2", "111"),
        ("sector", "2", "112"),
        ("sector", "99", "A1"),
        ("tag", "1", "1"),
        ("tag", "99", "T1"),
    ]
    assert activity.countries == ["AF", "AG"]
    [budget] = activity.budgets
    assert (budget.amount, budget.currency, budget.kind, budget.status) == (Decimal("3000.00"), "EUR", "1", "1")
    [transaction] = activity.transactions
    assert (transaction.type, transaction.date.year, transaction.amount) == ("1", 2012, Decimal("1000.00"))
    # Its document link's address is "http:www.example.org/…": left out, and said, with the line.
    assert activity.documents == []
    assert ("document-link", 292) in [(element, line) for element, line, _ in reasons(activity)]
    # Documents inside results are not the activity's.
    assert ("title", 22, "Also in es, fr: not kept (the registry keeps English, Azerbaijani and Russian).") in reasons(
        activity
    )


def test_a_bare_activity_from_iom():
    [activity], problems = read("iom_single_activity_diterator_activity-01.xml")
    assert problems == []
    assert activity.identifier == "XM-DAC-47066-DP.2154"
    assert activity.publisher_ref == "XM-DAC-47066"
    assert activity.publisher_name == "International Organization for Migration (IOM)"
    assert activity.last_updated is None
    assert activity.countries == ["SO"]
    assert [(c.vocabulary, c.code, c.name) for c in activity.classifications][2] == (
        "1",
        "72010",
        "Material relief assistance and services",
    )
    assert activity.budgets[0].status == "2"
    assert activity.transactions[0].type == "11"
    assert activity.problems == []


def test_each_kind_of_mess_is_kept_or_said():
    activities, problems = read("messy.xml")
    messy, no_identifier, no_title, legacy = activities
    # Upper-case and regional xml:lang
    assert (messy.title.en, messy.title.ru, messy.title.az) == (
        "Border management support",
        "Поддержка управления границами",
        "Sərhəd idarəçiliyinə dəstək",
    )
    # Legacy text roles; "N/A" is no reference; an unknown role and a nameless org are left out.
    assert [(org.ref, org.role) for org in messy.organisations] == [("", "1"), ("XM-DAC-47066", "4")]
    found = reasons(messy)
    assert ("participating-org/@ref", 14, "“N/A” is not an organisation identifier: matched by name.") in found
    assert ("participating-org", 16, "“9” is not an organisation role: left out.") in found
    # The actual end before the actual start: the end is left out.
    assert messy.dates == {"2": datetime.date(2021, 6, 1), "1": datetime.date(2021, 5, 1)}
    assert any("actual end (2020-01-01) is before" in reason for _, _, reason in found)
    assert ("activity-date", 22, "“not a date” is not a date (YYYY-MM-DD).") in found
    # Lower-case country codes are read, unknown ones said.
    assert messy.countries == ["AZ"]
    assert ("recipient-country", 24, "“QQ” is not a country code: left out.") in found
    # A sector without a code.
    assert ("sector", 25, "A sector without a code: left out.") in found
    assert [(c.element, c.code) for c in messy.classifications] == [("sector", "15190"), ("tag", "10")]
    # A budget without a currency takes the activity's; one whose period is backwards is left out.
    assert [(b.amount, b.currency) for b in messy.budgets] == [(Decimal("1000.00"), "EUR")]
    assert any(element == "budget" and line == 33 for element, line, _ in found)
    # Transactions: the 1.0x letter D, the default currency, a currency that is not one.
    assert [(t.type, t.currency, t.amount) for t in messy.transactions] == [
        ("3", "USD", Decimal("100.00")),
        ("3", "USD", Decimal("50.50")),
        ("4", "EUR", Decimal("20.00")),
    ]
    assert ("transaction/value/@currency", 41, "“XXXX” is not a currency code of ISO 4217.") in found
    # The namespaced extension is ignored without a word.
    assert not any("rating" in element for element, _, _ in found)
    assert [d.url for d in messy.documents] == ["https://example.org/report.pdf"]
    assert no_identifier.identifier == "" and no_identifier.problems[0].line == 49
    assert [p.element for p in no_title.problems] == ["title"]
    # 1.0x: text as the element's own, date types in words, roles in words.
    assert legacy.title.en == "A 1.0x title written as the element's text"
    assert legacy.dates == {"2": datetime.date(2010, 2, 1)}
    assert [(org.ref, org.role, org.name.en, org.type) for org in legacy.organisations] == [
        ("XM-TEST-NEW", "3", "New NGO", "21")
    ]
    assert problems == []


def test_a_broken_file_keeps_what_came_before_the_break():
    activities, problems = read("broken.xml")
    assert [a.identifier for a in activities] == ["XM-TEST-BEFORE-BREAK"]
    [problem] = problems
    assert problem.line == 9 and problem.element == "file"
    assert problem.reason.startswith("The XML is broken here, so the rest is not read")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not XML at all\n", "The file is not XML"),
        (b"", "The file is not XML"),
        (b'<?xml version="1.0"?><rss><channel/></rss>', "its root element is <rss>"),
        (b"<iati-organisations/>", "This is an IATI organisation file"),
    ],
)
def test_a_file_that_is_not_iati_says_so(content, message):
    with pytest.raises(NotIatiError, match=message):
        list(read_activities(io.BytesIO(content), []))


def test_no_entities_are_expanded_and_nothing_is_fetched():
    content = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities><iati-activity><iati-identifier>X-1</iati-identifier>
<title><narrative>&secret;</narrative></title></iati-activity></iati-activities>"""
    [activity] = read_activities(io.BytesIO(content), [])
    assert "root:" not in activity.title.en


def test_a_big_file_streams(tmp_path):
    """Every activity of a file of many is read, one after the other (docs/iati.md measures the
    memory: the same for 16 MB and 100 MB)."""
    path = tmp_path / "many.xml"
    activity = (
        "<iati-activity><iati-identifier>X-{n}</iati-identifier>"
        "<title><narrative>T {n}</narrative></title></iati-activity>"
    )
    path.write_text("<iati-activities>" + "".join(activity.format(n=n) for n in range(2000)) + "</iati-activities>")
    sizes = []
    for read_activity in read_activities(str(path), []):
        sizes.append(read_activity.identifier)
    assert len(sizes) == 2000 and sizes[-1] == "X-1999"
