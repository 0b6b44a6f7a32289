"""Each list's import: the reader (``columns.py``, ``relations.py``) of every column its
export (``formats.SPECS``) marks ``key`` or ``read``, and the check of the key column, the slug."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from cooperation.core import exports
from cooperation.core.translation import TRANSLATION_LANGUAGES, translated_fields
from cooperation.imports.columns import (
    Choice,
    Countries,
    Country,
    Date,
    EdtfDate,
    Lines,
    Number,
    PrecisionCheck,
    Text,
    Url,
    WrittenDate,
)
from cooperation.imports.formats import SPECS
from cooperation.imports.relations import (
    AgreementActions,
    Citations,
    ForeignKey,
    ManyToMany,
    ProjectPartners,
    SummaryDates,
)
from cooperation.models import Agreement, Project
from events.models import Meeting
from partners.models import Partner


@dataclass
class Schema:
    """A list's import: its export spec, its model, and a reader for each column it reads."""

    spec: exports.ExportSpec
    model: type
    readers: tuple
    checks: tuple = ()  # derived columns a row may not change (SummaryDates)

    def __post_init__(self):
        self.readers = with_translations(self.model, self.readers)
        self.readers = tuple(reader.bind(self.model) for reader in self.readers)
        self.by_column = {reader.column: reader for reader in self.readers}
        self.by_field = {}
        self.dates = {}  # field -> the readers of its columns (as written, ISO, EDTF), read together
        for reader in self.readers:  # a date's first column names it in errors of a row that left it alone
            self.by_field.setdefault(reader.field, reader)
            if isinstance(reader, Date):
                self.dates.setdefault(reader.field, []).append(reader)
        # A date's precision follows it: a file that says another precision is refused.
        self.checks = (*self.checks, *(PrecisionCheck(name) for name in self.dates))
        self.checked = {column for check in self.checks for column in check.columns}
        self.key = next(column.name for column in self.spec.columns if column.use == exports.KEY)
        self.derived = [column.name for column in self.spec.columns if column.use == exports.DERIVED]
        self.descriptions = {column.name: column.description for column in self.spec.columns}

    @property
    def name(self):
        return self.spec.name

    @property
    def columns(self):
        """The columns the import reads, in the export's order: the key first."""
        return [column.name for column in self.spec.columns if column.use != exports.DERIVED]

    @property
    def required_columns(self):
        return [self.key, *(reader.column for reader in self.readers if reader.required)]

    def column_for_field(self, field, present=()):
        """The column an error about ``field`` names: for a date, the first of its columns among
        ``present`` (the file's)."""
        if field == "slug":
            return self.key
        for reader in self.dates.get(field, ()):
            if reader.column in present:
                return reader.column
        reader = self.by_field.get(field)
        return reader.column if reader else field

    def describe_columns(self):
        """Rows for the template's Columns sheet: a header row, then one row a column."""
        rows = [("column", "required", "what it holds", "what to write")]
        for name in self.columns:
            required = "yes" if name in self.required_columns else ""
            if name == self.key:
                accepted = (
                    "Lower-case letters, digits and hyphens. A row whose slug exists updates that record; "
                    "any other row creates a record (as a draft)."
                )
            else:
                accepted = self.by_column[name].accepted()
            rows.append((name, required, self.descriptions[name], accepted))
        return rows


def with_translations(model, readers):
    """``readers``, each text of a translated field (``title``) followed by a reader of each of its
    translations' columns (``title_az``, ``title_ru``), read, checked and written as the English
    one is: a file without such a column leaves that translation as it is."""
    translated = set(translated_fields(model))
    result = []
    for reader in readers:
        result.append(reader)
        if type(reader) is Text and reader.field in translated:
            result.extend(Text(f"{reader.column}_{code}", f"{reader.field}_{code}") for code in TRANSLATION_LANGUAGES)
    return tuple(result)


def validate_key(slug):
    """The key cell: present, a slug, lower case."""
    if not slug:
        raise ValidationError("Every row needs a slug: it says which record the row is.")
    validate_slug(slug)
    if slug != slug.lower():
        raise ValidationError(f"Slugs are lower-case: write “{slug.lower()}”.")
    if len(slug) > 120:
        raise ValidationError(f"A slug has at most 120 characters (this one has {len(slug)}).")


SCHEMAS = {
    schema.model: schema
    for schema in (
        Schema(
            SPECS["partners"],
            Partner,
            (
                Text("name"),
                Text("acronym"),
                Choice("kind"),
                Choice("scope"),
                Country("country_code", "country"),
                Text("headquarters"),
                ForeignKey("parent_slug", "parent"),
                WrittenDate("founded"),
                Date("founded_iso", "founded"),
                EdtfDate("founded_edtf", "founded"),
                Number("member_states"),
                Url("website"),
                Lines("other_names"),
                Text("description"),
                Citations("source_slugs"),
            ),
        ),
        Schema(
            SPECS["agreements"],
            Agreement,
            (
                Text("title"),
                Text("short_title"),
                Choice("kind"),
                ManyToMany("party_slugs", "parties"),
                ManyToMany("topic_slugs", "topics"),
                AgreementActions("actions"),
                Text("legal_summary"),
                Text("description"),
                Citations("source_slugs"),
            ),
            checks=tuple(SummaryDates(name) for name in ("signed", "ratified", "in_force", "ended")),
        ),
        Schema(
            SPECS["projects"],
            Project,
            (
                Text("title"),
                Text("short_title"),
                Text("phase"),
                Choice("status"),
                WrittenDate("status_as_of"),
                Date("status_as_of_iso", "status_as_of"),
                EdtfDate("status_as_of_edtf", "status_as_of"),
                WrittenDate("start"),
                Date("start_iso", "start"),
                EdtfDate("start_edtf", "start"),
                WrittenDate("end"),
                Date("end_iso", "end"),
                EdtfDate("end_edtf", "end"),
                WrittenDate("planned_start"),
                Date("planned_start_iso", "planned_start"),
                EdtfDate("planned_start_edtf", "planned_start"),
                WrittenDate("planned_end"),
                Date("planned_end_iso", "planned_end"),
                EdtfDate("planned_end_edtf", "planned_end"),
                Countries("recipient_country_codes", "recipient_countries"),
                ProjectPartners("partner_slugs"),
                ManyToMany("topic_slugs", "topics"),
                ManyToMany("agreement_slugs", "agreements"),
                Text("description"),
                Citations("source_slugs"),
            ),
        ),
        Schema(
            SPECS["meetings"],
            Meeting,
            (
                Text("title"),
                Choice("kind"),
                WrittenDate("start"),
                Date("start_iso", "start"),
                EdtfDate("start_edtf", "start"),
                WrittenDate("end"),
                Date("end_iso", "end"),
                EdtfDate("end_edtf", "end"),
                Choice("status"),
                WrittenDate("status_as_of"),
                Date("status_as_of_iso", "status_as_of"),
                EdtfDate("status_as_of_edtf", "status_as_of"),
                Text("city"),
                Country("country_code", "country"),
                ForeignKey("location_slug", "location"),
                ManyToMany("partner_slugs", "partners"),
                ManyToMany("participant_slugs", "participants"),
                Text("participants_note"),
                ManyToMany("agreement_slugs", "agreements"),
                ManyToMany("project_slugs", "projects"),
                Text("description"),
                Citations("source_slugs"),
            ),
        ),
    )
}
