"""A staff member enters an agreement in the admin, in headless Chromium.

The issue's bar: a new agreement with two parties, three dates and a source in under a minute.
The script's own wall time is printed; so is a Keystroke-Level-Model estimate of the same
actions done by a person (the script cannot type at human speed, so the estimate is the number
that speaks to the bar).
"""

import time

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement
from tests.factories import AgreementFactory, PartnerFactory, SourceFactory

expect = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed").expect

pytestmark = pytest.mark.browser

# Keystroke-Level Model operator times (Card, Moran & Newell), seconds.
KEYSTROKE, POINT, CLICK, THINK = 0.28, 1.1, 0.2, 1.35


class Effort:
    """Counts what a person would do for each scripted step."""

    def __init__(self):
        self.keystrokes = self.pointings = self.decisions = 0

    def type(self, text):
        self.keystrokes += len(text)

    def click(self, think=True):
        self.pointings += 1
        self.decisions += think

    @property
    def seconds(self):
        return self.keystrokes * KEYSTROKE + self.pointings * (POINT + CLICK) + self.decisions * THINK


def pick(page, effort, field_id, text, expected):
    """Choose ``expected`` in the select2 autocomplete for ``field_id`` by typing ``text``."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    effort.click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.press_sequentially(text)
    effort.type(text)
    page.locator(".select2-results__option--highlighted", has_text=expected).wait_for()
    search.press("Enter")
    effort.type("\n")


def type_into(page, effort, selector, text):
    page.click(selector)
    effort.click()
    page.locator(selector).press_sequentially(text)
    effort.type(text)


def test_agreement_entry_with_two_parties_three_dates_and_a_source(staff_page, screenshots):
    page, effort = staff_page, Effort()
    government = PartnerFactory(name="Government of the Republic", acronym="")
    iom = PartnerFactory(name="International Organization for Migration", acronym="IOM")
    PartnerFactory(name="International Centre for Migration Policy Development", acronym="ICMPD")
    source = SourceFactory(title="IOM Azerbaijan fact sheet")
    SourceFactory(title="Annual report of the State Migration Service")

    started = time.perf_counter()
    page.goto("/admin/cooperation/agreement/add/")
    type_into(page, effort, "#id_title", "Cooperation Agreement between the Government and IOM")
    page.select_option("#id_kind", "cooperation-agreement")
    effort.click(), effort.click(think=False)
    pick(page, effort, "id_parties", "gover", "Government of the Republic")
    pick(page, effort, "id_parties", "iom", "International Organization for Migration (IOM)")
    for row, (kind, date) in enumerate(
        [("signature", "1999-12-08"), ("ratification", "2000"), ("entry-into-force", "2000-03")]
    ):
        # A new agreement's form offers these three rows with their kinds chosen.
        assert page.input_value(f"#id_actions-{row}-kind") == kind
        type_into(page, effort, f"#id_actions-{row}-date", date)
    pick(page, effort, "id_cooperation-citation-content_type-object_id-0-source", "fact", source.title)
    type_into(page, effort, "#id_cooperation-citation-content_type-object_id-0-locator", "p. 2")
    page.screenshot(path=screenshots / "agreement-add-filled.png", full_page=True)
    page.locator("input[name=_save]").last.click()
    effort.click()
    page.locator(".messagelist .success").wait_for()
    elapsed = time.perf_counter() - started

    page.screenshot(path=screenshots / "agreement-changelist.png", full_page=True)
    print(
        f"\nagreement entry: scripted flow {elapsed:.1f} s; "
        f"a person: {effort.keystrokes} keystrokes, {effort.pointings} clicks ≈ {effort.seconds:.0f} s (KLM)"
    )

    assert "was added successfully" in page.locator(".messagelist .success").inner_text()
    agreement = Agreement.objects.get()
    assert agreement.slug == "cooperation-agreement-between-the-government-and-iom"
    assert set(agreement.parties.all()) == {government, iom}
    assert (agreement.signed, agreement.ratified, agreement.in_force) == (
        PartialDate(1999, 12, 8),
        PartialDate(2000),
        PartialDate(2000, 3),
    )
    assert [(citation.source, citation.locator) for citation in agreement.citations.all()] == [(source, "p. 2")]
    assert page.locator("#result_list tbody tr").first.inner_text().split("\t")[1:6] == [
        "Cooperation Agreement between the Government and IOM",
        "-",
        "Cooperation agreement",
        "Government of the Republic, IOM",
        "8 December 1999",
    ]
    assert effort.seconds < 60


def test_agreement_entry_bad_dates_are_explained_next_to_the_field(staff_page, screenshots):
    page = staff_page
    PartnerFactory(name="Council of Europe", acronym="CoE")

    page.goto("/admin/cooperation/agreement/add/")
    page.screenshot(path=screenshots / "agreement-add-empty.png", full_page=True)
    page.locator("#id_title").press_sequentially("Memorandum with the Council of Europe")
    page.select_option("#id_kind", "memorandum-of-understanding")
    page.click("#id_parties + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").press_sequentially("coe")
    page.locator(".select2-results__option--highlighted", has_text="CoE").wait_for()
    page.keyboard.press("Enter")
    for row, (kind, date) in enumerate(
        [("signature", "2006-08"), ("ratification", "sometime in 2007"), ("entry-into-force", "2005")]
    ):
        assert page.input_value(f"#id_actions-{row}-kind") == kind
        page.fill(f"#id_actions-{row}-date", date)
    page.locator("input[name=_save]").last.click()

    page.locator(".errornote").wait_for()
    page.screenshot(path=screenshots / "agreement-add-errors.png", full_page=True)
    rows = page.locator("#actions-group tr.form-row")
    assert "is not a date this registry understands" in rows.nth(1).inner_text()
    assert "It cannot enter into force before the signature (August 2006)." in rows.nth(2).inner_text()
    # What the person typed is still there to correct, and so are the chosen parties.
    assert page.input_value("#id_actions-1-date") == "sometime in 2007"
    assert page.locator("#id_parties + .select2").inner_text().strip().endswith("Council of Europe (CoE)")
    assert Agreement.objects.count() == 0


def test_agreement_changelist_filters_by_status_and_year(staff_page, screenshots):
    page = staff_page
    iom = PartnerFactory(name="International Organization for Migration", acronym="IOM")
    AgreementFactory(title="Cooperation Agreement", parties=[iom], in_force=PartialDate(2000))
    AgreementFactory(title="Readmission agreement", signed=PartialDate(2013, 2, 28), parties=[iom])

    page.goto("/admin/cooperation/agreement/")
    page.click("#changelist-filter a:text-is('In force')")
    page.wait_for_url("**/?status=in-force")
    page.screenshot(path=screenshots / "agreement-changelist-filtered.png", full_page=True)
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody")).to_contain_text("Cooperation Agreement")

    page.goto("/admin/cooperation/agreement/")
    page.click("#changelist-filter a:text-is('2013')")
    page.wait_for_url("**/?signed_year=2013")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody")).to_contain_text("Readmission agreement")
