from django.urls import path

from events import views
from events.calendars import MeetingCalendarView, PartnerMeetingCalendarView

app_name = "events"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/calendar.ics", MeetingCalendarView.as_view(), name="meeting-calendar"),
    path("partners/<slug:slug>/calendar.ics", PartnerMeetingCalendarView.as_view(), name="partner-calendar"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
]
