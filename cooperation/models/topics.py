"""Topics: what agreements, projects and meetings are about."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.core.addresses import slug_url
from cooperation.core.labels import label
from cooperation.core.models import CitedRecord, RecordHistory
from cooperation.core.translation import localized, translations


class Topic(CitedRecord):
    name = models.CharField(max_length=120, unique=True)
    name_az, name_ru = translations(name, "name")
    description = models.TextField(blank=True)
    description_az, description_ru = translations(description, "description")

    history = RecordHistory()

    class Meta:
        permissions = [("publish_topic", "Can publish and unpublish topics")]
        ordering = ["name"]

    def __str__(self):
        return localized(self, "name")

    def get_absolute_url(self):
        return slug_url("cooperation:topic-detail", self.slug)


label(Topic, _("topic"), _("topics"), name=_("name"), description=_("description"))
