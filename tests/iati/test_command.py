"""``manage.py import_iati`` (cooperation/management/commands/import_iati.py): what it prints."""

import io

import pytest
from django.core.management import call_command

from tests.iati.helpers import FILES, IOM, MESSY

pytestmark = pytest.mark.django_db


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_iati", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue().splitlines(), err.getvalue()


def test_it_reports_each_activity_and_problem_then_a_summary():
    code, lines, err = command(MESSY, IOM)
    assert code == 0 and err == ""
    assert lines[0] == "CREATED   XM-TEST-MESSY-1 (line 4)"
    assert "SKIPPED   XM-TEST-NO-TITLE (line 53): No title." in lines
    assert "PROBLEM   XM-TEST-MESSY-1, <sector>, line 25: A sector without a code: left out." in lines
    assert lines[-1] == (
        "iom_single_activity_diterator_activity-01.xml: 1 activities: 1 created, 0 updated, 0 unchanged, "
        "0 skipped; 3 problems."
    )
    code, lines, err = command(IOM)
    assert lines[0] == "UNCHANGED XM-DAC-47066-DP.2154 (line 2)"


def test_a_file_that_is_not_iati_fails_with_the_reason_and_no_traceback():
    code, lines, err = command(FILES / "not-xml.txt", FILES / "not-iati.xml")
    assert code == 1
    assert "not-xml.txt: not imported. The file is not XML (line 1: Start tag expected" in err
    assert "not-iati.xml: not imported. This XML is not IATI activities: its root element is <rss>" in err
    assert "Traceback" not in err


def test_a_missing_file_says_so():
    code, lines, err = command(FILES / "no-such-file.xml")
    assert code == 1 and "no-such-file.xml: not imported." in err


def test_an_address_that_cannot_be_fetched_says_why():
    code, lines, err = command("http://127.0.0.1:9/activities.xml")
    assert code == 1
    assert err.startswith("http://127.0.0.1:9/activities.xml could not be fetched (")
    assert "Check the address and the network." in err
