"""Reading a whole IATI file (a path, an upload, or an http(s) address fetched when the command
is asked to) into the registry, an activity at a time: :func:`import_file`."""

import tempfile
import urllib.error
import urllib.request
from typing import IO

from cooperation.iati.apply import ImportContext, import_activity
from cooperation.iati.parse import NotIatiError, read_activities
from cooperation.iati.report import SKIPPED, ActivityResult, ImportReport

FETCH_TIMEOUT = 60  # seconds
FETCH_LIMIT = 500 * 1024 * 1024  # bytes: the largest IATI files are some hundred megabytes


class FetchError(Exception):
    """An address could not be read: the message says why."""


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def fetch(url: str) -> IO[bytes]:
    """The file at ``url`` (http or https), in a temporary file; FetchError saying why not."""
    request = urllib.request.Request(url, headers={"User-Agent": "cooperation-registry-iati-import"})
    copy = tempfile.TemporaryFile()  # noqa: SIM115 (returned open, for the caller to close)
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            size = 0
            while chunk := response.read(1024 * 1024):
                size += len(chunk)
                if size > FETCH_LIMIT:
                    copy.close()
                    raise FetchError(f"{url} is larger than {FETCH_LIMIT // 1024 // 1024} MB: not read.")
                copy.write(chunk)
    except urllib.error.HTTPError as error:
        copy.close()
        raise FetchError(f"{url} could not be fetched: the server answered {error.code} {error.reason}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        copy.close()
        reason = getattr(error, "reason", error)
        raise FetchError(f"{url} could not be fetched ({reason}). Check the address and the network.") from None
    copy.seek(0)
    return copy


def import_file(
    source: str | IO[bytes], *, file_name: str, url: str = "", user=None, overwrite: bool = False
) -> ImportReport:
    """Import every activity of ``source`` (a path or a binary file), each in its own
    transaction, and report what was done; never raises for what the file holds."""
    report = ImportReport(file_name=file_name)
    context = ImportContext(file_name=file_name, url=url, user=user, overwrite=overwrite)
    seen: set[str] = set()
    try:
        for activity in read_activities(source, report.problems):
            if activity.identifier and activity.identifier in seen:
                reason = "The same iati-identifier as an activity before it in this file: skipped."
                report.results.append(ActivityResult(activity.identifier, activity.line, SKIPPED, reason))
            else:
                report.results.append(import_activity(activity, context))
                if activity.identifier:
                    seen.add(activity.identifier)
            report.problems.extend(sorted(activity.problems, key=lambda problem: problem.line or 0))
    except NotIatiError as error:
        report.refused = str(error)
    except OSError as error:
        report.refused = f"The file could not be read ({error})."
    return report
