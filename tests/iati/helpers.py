"""Shared by the IATI import's tests: the test files, and importing one."""

from pathlib import Path

from cooperation.iati.files import import_file

FILES = Path(__file__).parent / "files"
WORKED_EXAMPLE = FILES / "iati-203-worked-example-annotated.xml"
IOM = FILES / "iom_single_activity_diterator_activity-01.xml"
MESSY = FILES / "messy.xml"


def run(path, **options):
    """Import the file at ``path`` (a Path, or XML text written to ``options["tmp"]``)."""
    return import_file(str(path), file_name=Path(path).name, **options)


def actions(report):
    return [(result.identifier, result.action) for result in report.results]


def activity_xml(identifier="XM-TEST-1", updated="2024-01-01T00:00:00Z", title="First title", extra=""):
    """A small activity file's text."""
    return f"""<?xml version="1.0"?>
<iati-activities version="2.03">
 <iati-activity last-updated-datetime="{updated}" default-currency="EUR">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-TEST" type="40"><narrative>Test Publisher</narrative></reporting-org>
  <title><narrative>{title}</narrative></title>
  <activity-status code="2"/>
  <activity-date iso-date="2021-01-01" type="2"/>
  <participating-org ref="XM-DAC-47066" role="4"><narrative>IOM</narrative></participating-org>
  {extra}
 </iati-activity>
</iati-activities>
"""
