"""IATI codelists as {code: English name}, read from the copies in ``codelists/`` (CC BY 4.0,
see its README) once per process; and the IATI codes the registry's own choices stand for."""

import functools
from pathlib import Path

from lxml import etree

FOLDER = Path(__file__).resolve().parent / "codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@functools.cache
def codelist(name: str) -> dict[str, str]:
    """The codes of codelist ``name`` ("ActivityStatus") with their English names."""
    tree = etree.parse(str(FOLDER / f"{name}.xml"), etree.XMLParser(resolve_entities=False, no_network=True))
    names = {}
    for item in tree.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        english = [n.text for n in item.iterfind("name/narrative") if n.get(XML_LANG, "en").lower() == "en"]
        if code:
            names[code] = (english[0] if english and english[0] else code).strip()
    return names


def name_of(list_name: str, code: str) -> str:
    """``code``'s name in ``list_name`` ("Implementation"), or the code itself if unknown."""
    return codelist(list_name).get(code, code)


def known(list_name: str, code: str) -> bool:
    return code in codelist(list_name)


# ActivityStatus → Project.Status (values, so this module reads no model).
STATUS = {
    "1": "planned",  # Pipeline/identification
    "2": "ongoing",  # Implementation
    "3": "completed",  # Finalisation
    "4": "completed",  # Closed
    "5": "unknown",  # Cancelled: the registry has no such status; the report says so
    "6": "ongoing",  # Suspended
}

# OrganisationRole (and the 1.0x words) → ProjectPartner.Role, with the IATI role's name as
# the link's note where our role says less than IATI's.
ROLE_CODES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
ROLES = {"1": "funding", "2": "other", "3": "other", "4": "implementing"}

# OrganisationType → Partner.Kind and Partner.Scope for a partner the import creates.
KINDS = {
    "10": ("state-agency", "bilateral"),  # Government
    "11": ("state-agency", "bilateral"),  # Local Government
    "15": ("state-agency", "bilateral"),  # Other Public Sector
    "21": ("ngo", "bilateral"),  # International NGO
    "22": ("ngo", "bilateral"),  # National NGO
    "23": ("ngo", "bilateral"),  # Regional NGO
    "24": ("ngo", "bilateral"),  # Partner Country based NGO
    "40": ("international-organisation", "multilateral"),  # Multilateral
}
DEFAULT_KIND = ("other", "bilateral")

# The 1.0x TransactionType letters → today's codes (cooperation/models/money.py maps the codes to kinds).
TRANSACTION_LETTERS = {
    "IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7", "QP": "8", "QS": "9", "CG": "10",
}  # fmt: skip


# ActivityDateType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
DATE_WORDS = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}  # 1.0x

# DocumentCategory → Source.Kind
DOCUMENT_KINDS = {"A01": "report", "A07": "report", "A08": "report", "A09": "legal-text", "A10": "report"}
