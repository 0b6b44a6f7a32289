import pytest

from tests import factories


@pytest.mark.django_db
def test_every_factory_builds_a_saved_record():
    built = [
        factories.OfficeFactory(),
        factories.PostFactory(),
        factories.TopicFactory(),
        factories.CitationFactory(),
        factories.ClaimFactory(),
        factories.AgreementFactory(),
        factories.ProjectPartnerFactory(),
        factories.MeetingFactory(),
        factories.StaffUserFactory(),
    ]
    assert all(obj.pk for obj in built)
