from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
]
