"""Reading IATI activity XML into plain data: :func:`read_activities` streams a file (lxml's
iterparse, each ``<iati-activity>`` cleared once read, so a 100 MB file needs the memory of one
activity) and yields an :class:`Activity` for each, with the problems found in it (element, line,
reason). What is valid is kept, what is not is left out and said; nothing here touches the
database.

A whole ``<iati-activities>`` file and a bare ``<iati-activity>`` are read alike; versions 2.0x,
and the 1.0x forms that cost a line (text codes such as ``role="Funding"``, narratives written as
the element's own text, ``start-actual`` date types, transaction letters). Elements of other
namespaces (publishers' extensions) are ignored.
"""

import datetime
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO

from lxml import etree

from cooperation.iati import codelists
from cooperation.iati.data import (
    Activity,
    BudgetLine,
    Classification,
    Document,
    Organisation,
    Problem,
    Texts,
    TransactionLine,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
REGISTRY_LANGUAGES = ("en", "az", "ru")
# References publishers write where they have none.
NO_REFERENCE = re.compile(r"^(n/?a|none|null|unknown|not applicable|-+|0+|\.+|x+)?$", re.IGNORECASE)
CURRENCY = re.compile(r"^[A-Z]{3}$")


class NotIatiError(Exception):
    """The file is not XML, or not IATI activities: the message says which."""


# Reading a file ---------------------------------------------------------------------------------


def read_activities(source: str | IO[bytes], problems: list[Problem]) -> Iterator[Activity]:
    """Each activity of ``source`` (a path or a binary file), as it is read. Problems of the
    file itself (not well-formed past some point) are appended to ``problems``; a file that is
    not XML or not IATI activities raises :class:`NotIatiError` before anything is yielded."""
    parser = etree.iterparse(
        source,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    root_seen, inherited_lang = False, "en"
    try:
        for event, element in parser:
            if not root_seen:
                root_seen = True
                _check_root(element)
                inherited_lang = _language(element.get(XML_LANG)) or "en"
            if event != "end" or element.tag != "iati-activity":
                continue
            activity = read_activity(element, inherited_lang)
            # Free what has been read: the element's children and the activities before it.
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
            yield activity
    except etree.XMLSyntaxError as error:
        if not root_seen:
            raise NotIatiError(f"The file is not XML ({_syntax_message(error)}).") from None
        line = error.lineno if error.lineno else None
        problems.append(Problem("", "file", line, f"The XML is broken here, so the rest is not read: {error.msg}."))
    if not root_seen:
        raise NotIatiError("The file is empty.")


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    return f"line {error.lineno}: {error.msg}" if error.lineno else str(error.msg)


def _check_root(element: etree._Element) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("iati-activities", "iati-activity"):
        return
    if tag == "iati-organisations":
        raise NotIatiError("This is an IATI organisation file: it has no activities to import.")
    raise NotIatiError(
        f"This XML is not IATI activities: its root element is <{etree.QName(tag).localname if tag else tag}>, "
        "not <iati-activities> or <iati-activity>."
    )


def read_activity(element: etree._Element, inherited_lang: str = "en") -> Activity:
    """One ``<iati-activity>`` element as an :class:`Activity` (with its problems)."""
    identifier = " ".join((element.findtext("iati-identifier") or "").split())
    activity = Activity(identifier=identifier, line=element.sourceline)
    lang = _language(element.get(XML_LANG)) or inherited_lang
    reader = _Reader(activity, lang)
    if not identifier:
        reader.problem(element, "iati-activity", "The activity has no iati-identifier, so it cannot be matched.")
        return activity
    reader.read(element)
    return activity


def _language(value: str | None) -> str:
    """ "EN", "en-GB" → "en"; "" when not given."""
    return (value or "").strip().lower().split("-")[0].split("_")[0]


class _Reader:
    """Reads the parts of one activity, noting each problem with its element and line."""

    def __init__(self, activity: Activity, lang: str):
        self.activity, self.lang = activity, lang

    def problem(self, element, name: str, reason: str) -> None:
        self.activity.problems.append(Problem(self.activity.identifier, name, element.sourceline, reason))

    def read(self, element) -> None:
        activity = self.activity
        activity.last_updated = self.timestamp(element, "last-updated-datetime")
        currency = (element.get("default-currency") or "").strip().upper()
        if currency and self.currency_ok(element, "default-currency", currency):
            activity.default_currency = currency
        reporting = element.find("reporting-org")
        if reporting is not None:
            activity.publisher_ref = (reporting.get("ref") or "").strip()
            activity.publisher_name = self.texts(reporting).any()
        activity.title = self.joined(element.findall("title"))
        if not activity.title:
            self.problem(element, "title", "The activity has no title.")
        activity.description = self.joined(
            sorted(element.findall("description"), key=_description_order), multiline=True
        )
        for name, texts in (("title", activity.title), ("description", activity.description)):
            if texts.others:
                languages = ", ".join(sorted(texts.others))
                if texts.en:
                    reason = f"Also in {languages}: not kept (the registry keeps English, Azerbaijani and Russian)."
                else:
                    reason = f"No English text: the {languages} text is kept as the English until staff translate it."
                self.problem(element.find(name), name, reason)
        self.status(element.find("activity-status"))
        for child in element.iterfind("activity-date"):
            self.date(child)
        self.check_dates(element)
        for child in element.iterfind("participating-org"):
            self.organisation(child)
        for child in element.iterfind("sector"):
            self.classification(child, "sector", default_vocabulary="1")
        for child in element.iterfind("tag"):
            self.classification(child, "tag", default_vocabulary="")
        for child in element.iterfind("recipient-country"):
            self.country(child)
        for child in element.iterfind("document-link"):
            self.document(child)
        for child in element.iterfind("budget"):
            self.budget(child)
        for child in element.iterfind("transaction"):
            self.transaction(child)

    # Values -------------------------------------------------------------------------------

    def texts(self, element, multiline: bool = False) -> Texts:
        """The narratives of ``element`` by language (1.0x: the element's own text); one line
        each unless ``multiline`` (a description keeps its paragraphs)."""
        texts = Texts()
        nodes = element.findall("narrative")
        if not nodes and (element.text or "").strip():
            nodes = [element]
        for node in nodes:
            text = (node.text or "").strip()
            text = (
                "\n".join(" ".join(line.split()) for line in text.splitlines()) if multiline else " ".join(text.split())
            )
            if not text:
                continue
            lang = _language(node.get(XML_LANG)) or self.lang
            if lang in REGISTRY_LANGUAGES:
                if not getattr(texts, lang):
                    setattr(texts, lang, text)
            else:
                texts.others.setdefault(lang, text)
        return texts

    def joined(self, elements: Iterable, multiline: bool = False) -> Texts:
        """The texts of several elements (descriptions), paragraph after paragraph per language."""
        parts = [self.texts(element, multiline) for element in elements]
        if len(parts) == 1:
            return parts[0]
        joined = Texts()
        for lang in REGISTRY_LANGUAGES:
            setattr(joined, lang, "\n\n".join(getattr(part, lang) for part in parts if getattr(part, lang)))
        for part in parts:
            for lang, text in part.others.items():
                joined.others[lang] = "\n\n".join(filter(None, [joined.others.get(lang, ""), text]))
        return joined

    def iso_date(self, element, name: str, attribute: str = "iso-date") -> datetime.date | None:
        value = (element.get(attribute) or element.text or "").strip() if element is not None else ""
        if not value:
            if element is not None:
                self.problem(element, name, "The date is missing.")
            return None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.problem(element, name, f"“{value}” is not a date (YYYY-MM-DD).")
            return None

    def timestamp(self, element, attribute: str) -> datetime.datetime | None:
        value = (element.get(attribute) or "").strip()
        if not value:
            return None
        try:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.problem(element, f"iati-activity/@{attribute}", f"“{value}” is not a date and time.")
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)

    def amount(self, element, name: str) -> Decimal | None:
        value = (element.text or "").strip().replace(",", "")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            self.problem(element, name, f"“{value}” is not an amount.")
            return None
        if not amount.is_finite() or abs(amount) >= Decimal("1e18"):
            self.problem(element, name, f"“{value}” is not an amount the registry can keep.")
            return None
        return amount.quantize(Decimal("0.01"))

    def currency_ok(self, element, name: str, currency: str) -> bool:
        if CURRENCY.match(currency) and codelists.known("Currency", currency):
            return True
        self.problem(element, name, f"“{currency}” is not a currency code of ISO 4217.")
        return False

    def value(self, element, name: str) -> tuple[Decimal, str, datetime.date | None] | None:
        """A budget's or transaction's ``<value>``: amount, currency (else the activity's
        default), value date; None (with the problem said) if it cannot be kept."""
        value = element.find("value")
        if value is None:
            self.problem(element, name, "It has no value.")
            return None
        amount = self.amount(value, f"{name}/value")
        currency = (value.get("currency") or "").strip().upper() or self.activity.default_currency
        if not currency:
            self.problem(value, f"{name}/value", "No currency, and the activity has no default-currency.")
            return None
        if amount is None or not self.currency_ok(value, f"{name}/value/@currency", currency):
            return None
        value_date = None
        if value.get("value-date"):
            value_date = self.iso_date(value, f"{name}/value/@value-date", "value-date")
        return amount, currency, value_date

    # Parts --------------------------------------------------------------------------------

    def status(self, element) -> None:
        if element is None:
            return
        code = (element.get("code") or "").strip()
        if code in codelists.STATUS:
            self.activity.status = code
        else:
            self.problem(
                element, "activity-status", f"“{code}” is not an activity status code: the status is left out."
            )

    def date(self, element) -> None:
        kind = (element.get("type") or "").strip()
        kind = codelists.DATE_WORDS.get(kind.lower(), kind)
        if kind not in ("1", "2", "3", "4"):
            self.problem(element, "activity-date", f"“{kind}” is not an activity date type: the date is left out.")
            return
        day = self.iso_date(element, "activity-date")
        if day is not None:
            self.activity.dates.setdefault(kind, day)

    def check_dates(self, element) -> None:
        """An end before its start is left out (actual and planned alike)."""
        dates = self.activity.dates
        for start, end, what in (
            (codelists.ACTUAL_START, codelists.ACTUAL_END, "actual"),
            (codelists.PLANNED_START, codelists.PLANNED_END, "planned"),
        ):
            if start in dates and end in dates and dates[end] < dates[start]:
                self.problem(
                    element,
                    "activity-date",
                    f"The {what} end ({dates[end]}) is before the {what} start ({dates[start]}): the end is left out.",
                )
                del dates[end]

    def organisation(self, element) -> None:
        role = (element.get("role") or "").strip()
        role = codelists.ROLE_CODES.get(role.lower(), role)
        if role not in codelists.ROLES:
            self.problem(element, "participating-org", f"“{role}” is not an organisation role: left out.")
            return
        ref = (element.get("ref") or "").strip()
        if ref and (NO_REFERENCE.match(ref) or " " in ref):
            self.problem(
                element, "participating-org/@ref", f"“{ref}” is not an organisation identifier: matched by name."
            )
            ref = ""
        name = self.texts(element)
        if not ref and not name:
            self.problem(element, "participating-org", "The organisation has neither a reference nor a name: left out.")
            return
        org_type = (element.get("type") or "").strip()
        self.activity.organisations.append(Organisation(ref, name, role, org_type, element.sourceline))

    def classification(self, element, kind: str, default_vocabulary: str) -> None:
        code = (element.get("code") or "").strip()
        vocabulary = (element.get("vocabulary") or default_vocabulary).strip()
        if not code:
            self.problem(element, kind, f"A {kind} without a code: left out.")
            return
        if not vocabulary:
            self.problem(element, kind, f"A {kind} without a vocabulary: left out.")
            return
        name = self.texts(element).any()
        if not name and kind == "sector" and vocabulary == "1":
            name = codelists.name_of("Sector", code)
        self.activity.classifications.append(Classification(kind, vocabulary, code, name, element.sourceline))

    def country(self, element) -> None:
        code = (element.get("code") or "").strip().upper()
        if codelists.known("Country", code):
            if code not in self.activity.countries:
                self.activity.countries.append(code)
        else:
            self.problem(element, "recipient-country", f"“{code}” is not a country code: left out.")

    def document(self, element) -> None:
        url = (element.get("url") or "").strip()
        if not re.match(r"^https?://[^/\s]+\.[^\s]*$", url):
            self.problem(element, "document-link", f"“{url}” is not a web address: the document is left out.")
            return
        title_element = element.find("title")
        title = self.texts(title_element).any() if title_element is not None else ""
        category = element.find("category")
        language = element.find("language")
        date_element = element.find("document-date")
        self.activity.documents.append(
            Document(
                url=url[:500],
                title=(title or url)[:300],
                category=(category.get("code") or "").strip() if category is not None else "",
                language=_language(language.get("code")) if language is not None else "",
                date=self.iso_date(date_element, "document-link/document-date") if date_element is not None else None,
                line=element.sourceline,
            )
        )

    def budget(self, element) -> None:
        kind = (element.get("type") or "1").strip()
        kind = kind if codelists.known("BudgetType", kind) else None
        status = (element.get("status") or "1").strip()
        status = status if codelists.known("BudgetStatus", status) else None
        if kind is None or status is None:
            self.problem(element, "budget", "Its type or status is not a code of the IATI codelists: left out.")
            return
        start = self.iso_date(element.find("period-start"), "budget/period-start")
        end = self.iso_date(element.find("period-end"), "budget/period-end")
        if element.find("period-start") is None or element.find("period-end") is None:
            self.problem(element, "budget", "The budget has no period: left out.")
            return
        value = self.value(element, "budget")
        if start is None or end is None or value is None:
            return
        if end < start:
            self.problem(element, "budget", f"The period ends ({end}) before it starts ({start}): left out.")
            return
        amount, currency, value_date = value
        self.activity.budgets.append(
            BudgetLine(kind, status, start, end, amount, currency, value_date, element.sourceline)
        )

    def transaction(self, element) -> None:
        type_element = element.find("transaction-type")
        code = (type_element.get("code") or "").strip() if type_element is not None else ""
        code = codelists.TRANSACTION_LETTERS.get(code.upper(), code)
        if not codelists.known("TransactionType", code):
            self.problem(element, "transaction/transaction-type", f"“{code}” is not a transaction type: left out.")
            return
        value = self.value(element, "transaction")
        if value is None:
            return
        amount, currency, value_date = value
        date_element = element.find("transaction-date")
        day = self.iso_date(date_element, "transaction/transaction-date") if date_element is not None else value_date
        if day is None:
            self.problem(element, "transaction", "The transaction has no date: left out.")
            return
        self.activity.transactions.append(TransactionLine(code, day, amount, currency, element.sourceline))


def _description_order(element) -> int:
    """General descriptions first (type 1, or none), then objectives, target groups, other."""
    kind = (element.get("type") or "1").strip()
    return int(kind) if kind.isdigit() else 9
