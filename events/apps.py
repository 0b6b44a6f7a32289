from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Meetings and events")

    def ready(self):
        from cooperation.core import export_lines
        from events.calendars import EVENTS

        export_lines.connect_signals([EVENTS])  # a change deletes the calendar events it changes
