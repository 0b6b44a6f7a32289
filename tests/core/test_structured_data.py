"""JSON-LD written into a page (cooperation/core/structured_data.py)."""

import json
import re

from cooperation.core.partial_dates import PartialDate
from cooperation.core.structured_data import iso_date, json_ld_script


def test_json_ld_script_cannot_be_ended_by_the_text_it_carries():
    script = json_ld_script({"name": "</script><script>alert(1)</script> & <!--"})

    assert script.count("</script>") == 1 and "<script>" not in script and "<!--" not in script
    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', script, re.S)[1]
    assert json.loads(body) == {"name": "</script><script>alert(1)</script> & <!--"}


def test_dates_are_iso_at_the_precision_the_sources_give():
    assert [iso_date(PartialDate(1999, 12, 8)), iso_date(PartialDate(2006, 8)), iso_date(PartialDate(2001))] == [
        "1999-12-08",
        "2006-08",
        "2001",
    ]
    assert iso_date(None) is None
