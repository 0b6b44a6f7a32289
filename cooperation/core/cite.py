"""“Cite this record”: how a reader cites one record page, as text, CSL-JSON and BibTeX.

Every record page shows the text and offers the two files at its own address with
``?format=csl-json`` and ``?format=bibtex`` (as a list offers ``?format=csv``): see
:class:`cooperation.core.detail.RecordDetailView`. A citation names the record's title, the
site, the agency that keeps it (``REGISTRY_AGENCY_NAME``, if set), the page's address, the day
the record was last updated and the day the reader accessed it, each date in the site's style
("3 December 2026") in the text.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext as _

from cooperation.core.partial_dates import PartialDate

# ?format= value: (Content-Type, file extension)
FORMATS = {
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
}

# What BibTeX reads as commands or groups in a field's value, and how to write it as text.
_BIBTEX_SPECIAL = re.compile(r"[\\{}%&$#_^~]")
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "^": r"\^{}",
    "~": r"\~{}",
}


def bibtex_escape(text: str) -> str:
    """``text`` as a BibTeX field's value shows it: its special characters escaped, its
    lines joined (a field is one logical line)."""
    text = " ".join(str(text).split())
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES.get(match[0], "\\" + match[0]), text)


def site_date(day: datetime.date) -> str:
    """A day in the site's style: "3 December 2026"."""
    return str(PartialDate.from_date(day))


@dataclass(frozen=True)
class RecordCitation:
    """How to cite one record page."""

    key: str  # a citation key: "agreements-iom-agreement"
    title: str
    kind: str  # "Agreement"
    url: str  # the page's absolute address
    site_name: str
    agency: str  # who keeps the registry; "" if the setting is empty
    updated: datetime.date
    accessed: datetime.date

    @property
    def updated_text(self) -> str:
        return site_date(self.updated)

    @property
    def accessed_text(self) -> str:
        return site_date(self.accessed)

    def text(self) -> str:
        """The citation as a reader copies it."""
        author = f"{self.agency}. " if self.agency else ""
        return author + _(
            "“%(title)s”. %(kind)s, %(site)s. Last updated %(updated)s. %(url)s (accessed %(accessed)s)."
        ) % {
            "title": self.title,
            "kind": self.kind,
            "site": self.site_name,
            "updated": self.updated_text,
            "url": self.url,
            "accessed": self.accessed_text,
        }

    def csl_json(self) -> list[dict]:
        """The citation as CSL-JSON (what Zotero, Pandoc and citeproc read): a list of one item."""
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "genre": self.kind,
            "container-title": self.site_name,
            "URL": self.url,
            "issued": {"date-parts": [[self.updated.year, self.updated.month, self.updated.day]]},
            "accessed": {"date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]},
        }
        if self.agency:
            item["author"] = [{"literal": self.agency}]
            item["publisher"] = self.agency
        return [item]

    def bibtex(self) -> str:
        """The citation as one BibTeX ``@misc`` entry (``url`` and ``urldate`` as biblatex reads them)."""
        fields = [("title", "{" + bibtex_escape(self.title) + "}")]
        if self.agency:
            fields.append(("author", "{" + bibtex_escape(self.agency) + "}"))
        fields += [
            ("howpublished", bibtex_escape(self.site_name)),
            ("year", str(self.updated.year)),
            ("month", str(self.updated.month)),
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
            ("note", bibtex_escape(f"{self.kind}. Last updated {self.updated_text}")),
        ]
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
        return f"@misc{{{self.key},\n{body}}}\n"

    def response(self, export_format: str) -> HttpResponse:
        """The citation as a file in ``export_format`` (a key of :data:`FORMATS`)."""
        content_type, extension = FORMATS[export_format]
        if export_format == "csl-json":
            content = json.dumps(self.csl_json(), ensure_ascii=False, indent=2) + "\n"
        else:
            content = self.bibtex()
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.key}.{extension}"'
        return response
