"""Backups: ``backup_registry FILE`` then ``restore_registry FILE`` into an empty database gives
back every row of every table — records, links, citations, claims, history, users, groups,
the admin log, uploaded files — with search and history pages as they were
(cooperation/backup.py).

The "fresh database" is this one emptied, with its content types and permissions made again in
another order, so that every content type has another id than in the backup (as in a database
migrated elsewhere): generic relations (citations, claims, log entries) must survive by name.
"""

import gzip
import hashlib
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cooperation.backup import derived
from cooperation.core.listing.counts import recount
from cooperation.core.partial_dates import PartialDate
from cooperation.counts import PROJECT_COUNTS
from cooperation.models import (
    Agreement,
    Citation,
    LinkTally,
    PartnerMoneyTotal,
    Project,
    ProjectMoneyTotal,
    SearchDocument,
    Source,
    YearTally,
)
from events.counts import MEETING_COUNTS
from partners.models import Partner
from tests.factories import (
    AgreementFactory,
    BudgetFactory,
    CitationFactory,
    ClaimFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    PlaceFactory,
    PostFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    SourceFactory,
    StaffUserFactory,
    TopicFactory,
    TransactionTotalFactory,
)
from tests.helpers.admin import admin_url
from tests.helpers.counts import snapshot
from tests.helpers.history import change, pass_time, versions_shown
from tests.helpers.users import login

pytestmark = pytest.mark.django_db


# What the database holds, by content ----------------------------------------------------------


# The lists' count tables (cooperation/core/listing/counts.py): derived, like the search index.
COUNT_MODELS = [
    model
    for label in settings.REGISTRY_APPS
    for model in apps.get_app_config(label).get_models()
    if derived(model) and model not in (SearchDocument, YearTally, LinkTally, ProjectMoneyTotal, PartnerMoneyTotal)
]


def tables():
    """Every table a backup must give back (the search index, the tallies and the lists' count
    tables are derived: rebuilt, not restored; see :func:`tally`)."""
    User = get_user_model()
    found = [User, Group, Group.permissions.through, User.groups.through, User.user_permissions.through, LogEntry]
    for label in settings.REGISTRY_APPS:
        found += apps.get_app_config(label).get_models(include_auto_created=True)
    return [model for model in found if not derived(model)]


def tally():
    """The year and link tallies and the money totals by their keys (their row ids are the
    database's own)."""
    links = LinkTally.objects.exclude(links=0).values_list("link", "target", "links", "published")
    money = PartnerMoneyTotal.objects.filter(entries__gt=0).values_list(
        "partner", "role", "kind", "currency", "amount", "entries"
    )
    return (
        sorted(links)
        + sorted(
            YearTally.objects.filter(records__gt=0).values_list("kind", "first", "last", "status", "as_of", "records")
        )
        + sorted(money)
        + sorted(ProjectMoneyTotal.objects.values_list("project", "kind", "currency", "amount", "entries"))
    )


def natural(field, value):
    if value is None:
        return None
    if field.related_model is ContentType:
        return ContentType.objects.get_for_id(value).natural_key()
    if field.related_model is Permission:
        return Permission.objects.get(pk=value).natural_key()
    return value


def content():
    """{table: [row as a tuple of values]} with content types and permissions by name."""
    snapshot = {}
    for model in tables():
        fields = model._meta.concrete_fields
        rows = model._base_manager.order_by("pk").values_list(*[field.attname for field in fields])
        snapshot[model._meta.label_lower] = [
            tuple(
                natural(field, value) if field.many_to_one else value for field, value in zip(fields, row, strict=True)
            )
            for row in rows
        ]
    return snapshot


def fresh_database():
    """Empty every table, and make content types and permissions again, numbered differently."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in [*reversed(tables()), SearchDocument, Permission, ContentType]:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
    ContentType.objects.clear_cache()
    for model in reversed(apps.get_models(include_auto_created=True)):
        ContentType.objects.get_or_create(app_label=model._meta.app_label, model=model._meta.model_name)
    for app_config in reversed(list(apps.get_app_configs())):
        create_permissions(app_config, verbosity=0)
    # The groups a migration makes, as on a newly migrated database (the backup replaces them).
    Group.objects.create(name="Editor").permissions.set(Permission.objects.filter(codename__startswith="view_"))
    Group.objects.create(name="Publisher")


@pytest.fixture(autouse=True)
def content_type_cache():
    yield
    ContentType.objects.clear_cache()  # the rolled-back ids must not outlive the test


# A registry with a history -------------------------------------------------------------------


@pytest.fixture
def registry():
    """Seed-like records, links, citations, claims and posts; then edits, a revert, a deletion."""
    iom = PartnerFactory(name="International Organization for Migration", acronym="IOM", country="CH")
    sms = PartnerFactory(name="State Migration Service", acronym="SMS", kind=Partner.Kind.STATE_AGENCY)
    topics = [TopicFactory(name="Border management"), TopicFactory(name="Readmission")]
    source = SourceFactory(title="IOM Azerbaijan fact sheet", date=PartialDate(2006, 8))
    source.file.save("fact-sheet.pdf", ContentFile(b"%PDF-1.4 the fact sheet"), save=True)
    agreement = AgreementFactory(title="Cooperation Agreement", parties=[iom, sms], in_force=PartialDate(2000))
    agreement.topics.set(topics[:1])
    CitationFactory(content_object=agreement, source=source, locator="p. 2")
    ClaimFactory(content_object=agreement, field="signed", value="8 December 1999", source=source, preferred=True)
    project = ProjectFactory(title="Border management project", topics=topics)
    ProjectPartnerFactory(project=project, partner=iom)
    BudgetFactory(project=project, amount="250000.00", currency="USD")
    TransactionTotalFactory(project=project, amount="120000.00", currency="USD")
    CitationFactory(content_object=project, source=source)
    baku = PlaceFactory(slug="baku", name="Baku", name_az="Bakı", latitude="40.409300", longitude="49.867100")
    office = OfficeFactory(partner=iom, name="IOM Baku", opened=PartialDate(1998, 12), location=baku)
    CitationFactory(content_object=office, source=source)
    person = PersonFactory(name="William Lacy Swing")
    PostFactory(person=person, organisation=iom, start=PartialDate(2008, 10))
    geneva = PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.204400", longitude="6.143200")
    meeting = MeetingFactory(title="Working meeting", partners=[iom, sms], location=geneva)
    meeting.participants.add(person)
    meeting.agreements.add(agreement)
    draft = ProjectFactory(title="Draft project", published=False)
    pass_time()
    client, alice = login("alice")
    change(client, agreement, title="Cooperation Agreement (amended)")
    pass_time()
    change(client, iom, acronym="OIM")
    pass_time()
    client.post(admin_url(Project, "delete", draft.pk), {"post": "yes"})
    LogEntry.objects.create(
        user=alice,
        content_type=ContentType.objects.get_for_model(Agreement),
        object_id=str(agreement.pk),
        object_repr=str(agreement),
        action_flag=ADDITION,
        change_message="[]",
    )
    editor = StaffUserFactory(username="eve", is_superuser=False)
    editor.groups.add(Group.objects.get(name="Editor"))
    editor.user_permissions.add(Permission.objects.get(codename="publish_topic"))
    return {"agreement": agreement, "iom": iom, "draft": draft, "client": client}


# The round trip ------------------------------------------------------------------------------


def test_backup_and_restore_into_a_fresh_database_gives_back_every_row(registry, tmp_path):
    path = tmp_path / "registry.jsonl.gz"
    client = registry["client"]
    agreement = registry["agreement"]
    history_before = versions_shown(client.get(admin_url(Agreement, "history", agreement.pk)))
    deleted_before = client.get("/admin/history/deleted/").content.decode().count("Draft project")
    before, tally_before = content(), tally()
    old_ids = {ct.natural_key(): ct.pk for ct in ContentType.objects.all()}
    call_command("backup_registry", str(path), verbosity=0)
    with path.open("rb") as raw:
        assert raw.read(2) == b"\x1f\x8b"  # gzip, as the name says
    default_storage.delete(Source.objects.get().file.name)

    fresh_database()
    assert any(ct.pk != old_ids[ct.natural_key()] for ct in ContentType.objects.all() if ct.natural_key() in old_ids)
    assert Partner.objects.count() == 0
    call_command("restore_registry", str(path), verbosity=0)

    assert content() == before
    assert tally() == tally_before  # counted again by the database as the rows came back
    # The lists' count tables were kept by the triggers as the rows came back.
    kept = snapshot(COUNT_MODELS)
    assert kept["ProjectCount"] == [("ongoing", 2014, 2014, 1)]  # the published project
    for tables in (MEETING_COUNTS, PROJECT_COUNTS):
        recount(tables)
    assert snapshot(COUNT_MODELS) == kept
    # Generic relations point at the right models under the new content type ids.
    citation = Citation.objects.filter(object_id=agreement.pk, content_type__model="agreement").get()
    assert citation.content_object.title == "Cooperation Agreement (amended)"
    # The uploaded file is back.
    with default_storage.open(Source.objects.get().file.name, "rb") as stored:
        assert stored.read() == b"%PDF-1.4 the fact sheet"
    # Search works: the index was rebuilt, drafts left out.
    assert SearchDocument.objects.filter(kind="agreement", title="Cooperation Agreement (amended)").exists()
    found = client.get("/search/", {"q": "amended"}).content.decode()
    assert Agreement.objects.get(pk=agreement.pk).get_absolute_url() in found
    # The history pages say what they said before, and the deleted project can still be restored.
    client, _user = login("alice")  # the session went with the wipe
    assert versions_shown(client.get(admin_url(Agreement, "history", agreement.pk))) == history_before
    assert client.get("/admin/history/deleted/").content.decode().count("Draft project") == deleted_before == 1
    client.post(admin_url(Project, "restore", registry["draft"].pk))
    assert Project.objects.filter(pk=registry["draft"].pk).exists()
    # New rows continue after the restored ones.
    assert PartnerFactory().pk > registry["iom"].pk


def test_restore_writes_no_history_and_sends_no_signals(registry, tmp_path):
    path = tmp_path / "registry.jsonl"
    call_command("backup_registry", str(path), verbosity=0)
    rows = {model._meta.label_lower: model.history.count() for model in (Partner, Agreement, Project)}
    fresh_database()

    call_command("restore_registry", str(path), verbosity=0)

    assert {model._meta.label_lower: model.history.count() for model in (Partner, Agreement, Project)} == rows
    agreement = Agreement.objects.get(pk=registry["agreement"].pk)
    assert agreement.updated_at == registry["agreement"].history.latest().updated_at


def test_commands_say_what_they_did(registry, tmp_path, capsys):
    path = tmp_path / "registry.jsonl"
    call_command("backup_registry", str(path))
    backup_output = capsys.readouterr().out
    fresh_database()
    call_command("restore_registry", str(path))
    restore_output = capsys.readouterr().out

    assert "partners.partner" in backup_output and "cooperation.historicalagreement" in backup_output
    assert f"to {path} (" in backup_output
    lines = dict(line.rsplit(None, 1) for line in restore_output.splitlines()[:-1])
    assert lines["partners.partner"] == str(Partner.objects.count())
    assert lines["cooperation.historicalagreement"] == str(Agreement.history.count())
    assert restore_output.splitlines()[-1].startswith("Restored ")
    assert "search index rebuilt (" in restore_output


# Refusals: nothing changes ---------------------------------------------------------------------


def test_restore_refuses_a_database_that_holds_data_unless_forced(registry, tmp_path):
    path = tmp_path / "registry.jsonl"
    call_command("backup_registry", str(path), verbosity=0)
    Partner.objects.filter(pk=registry["iom"].pk).update(name="Changed after the backup")

    with pytest.raises(CommandError, match=r"This database is not empty \(it holds .*--force"):
        call_command("restore_registry", str(path), verbosity=0)
    assert Partner.objects.get(pk=registry["iom"].pk).name == "Changed after the backup"

    TopicFactory(name="Made after the backup")
    call_command("restore_registry", str(path), force=True, verbosity=0)
    assert Partner.objects.get(pk=registry["iom"].pk).name == "International Organization for Migration"
    assert not Partner.objects.filter(name="Made after the backup").exists()


def test_restore_refuses_a_cut_off_file_and_changes_nothing(registry, tmp_path):
    path = tmp_path / "registry.jsonl"
    call_command("backup_registry", str(path), verbosity=0)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    fresh_database()

    with pytest.raises(CommandError, match="ends early: the backup is incomplete"):
        call_command("restore_registry", str(cut), verbosity=0)
    assert Partner.objects.count() == 0
    assert list(Group.objects.values_list("name", flat=True).order_by("name")) == ["Editor", "Publisher"]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda header: {**header, "format": "something else"}, "is not a registry backup made by backup_registry"),
        (lambda header: {**header, "version": 99}, "is a backup of format 99"),
        (
            lambda header: {
                **header,
                "migrations": {**header["migrations"], "cooperation": [*header["migrations"]["cooperation"], "0099_x"]},
            },
            "cooperation: the backup has 0099_x, this database has not",
        ),
    ],
)
def test_restore_refuses_a_file_it_cannot_trust(registry, tmp_path, damage, message):
    path = tmp_path / "registry.jsonl"
    call_command("backup_registry", str(path), verbosity=0)
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(json.dumps(damage(json.loads(first))) + "\n" + rest, encoding="utf-8")
    fresh_database()

    with pytest.raises(CommandError, match=message):
        call_command("restore_registry", str(path), verbosity=0)
    assert Partner.objects.count() == 0


def test_restore_refuses_a_row_it_cannot_read(registry, tmp_path):
    path = tmp_path / "registry.jsonl.gz"
    call_command("backup_registry", str(path), verbosity=0)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    lines[5] = "{not json"
    lines[-1] = without_checksum(lines[-1])  # as a backup from before checksums: read row by row
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    fresh_database()

    with pytest.raises(CommandError, match="Line 6 is not JSON"):
        call_command("restore_registry", str(path), verbosity=0)
    with pytest.raises(CommandError, match="No file"):
        call_command("restore_registry", str(tmp_path / "missing.jsonl"), verbosity=0)
    assert Partner.objects.count() == 0


# The checksum ----------------------------------------------------------------------------------


def without_checksum(end_line):
    end = json.loads(end_line)
    del end["sha256"]
    return json.dumps(end)


def test_a_backup_ends_with_the_sha256_of_everything_before_its_last_line(registry, tmp_path):
    path = tmp_path / "registry.jsonl.gz"
    call_command("backup_registry", str(path), verbosity=0)
    with gzip.open(path, "rb") as stream:
        *lines, last = stream.read().splitlines(keepends=True)

    end = json.loads(last)
    assert end["end"] is True
    assert end["sha256"] == hashlib.sha256(b"".join(lines)).hexdigest()


def flip_in_plain(path):
    """One byte of a partner's name changed: still JSON, still a row, but not what was backed up."""
    data = path.read_bytes()
    at = data.index(b"International Organization for Migration") + len("International Organization for ")
    path.write_bytes(data[:at] + b"N" + data[at + 1 :])  # "Nigration"


def flip_in_gzip(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("name", "flip", "message"),
    [
        ("registry.jsonl", flip_in_plain, "is damaged: its content does not match the SHA-256 checksum"),
        ("registry.jsonl.gz", flip_in_gzip, "Cannot read .* to the end"),
    ],
)
def test_restore_refuses_a_damaged_file_before_changing_anything(registry, tmp_path, name, flip, message):
    path = tmp_path / name
    call_command("backup_registry", str(path), verbosity=0)
    flip(path)
    Partner.objects.filter(pk=registry["iom"].pk).update(name="Changed after the backup")
    TopicFactory(name="Made after the backup")
    before = content()

    with pytest.raises(CommandError, match=f"Nothing was restored: .*{message}"):
        call_command("restore_registry", str(path), force=True, verbosity=0)
    assert content() == before


def test_a_backup_from_before_checksums_restores_with_a_warning(registry, tmp_path, capsys):
    path = tmp_path / "registry.jsonl"
    call_command("backup_registry", str(path), verbosity=0)
    *lines, last = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, without_checksum(last)]) + "\n", encoding="utf-8")
    before = content()
    fresh_database()

    call_command("restore_registry", str(path), verbosity=0)

    assert content() == before
    assert f"Warning: {path} carries no checksum (it was made before backups had one)" in capsys.readouterr().err
