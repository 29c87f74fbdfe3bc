"""A person's calendar link, beside their account, and the feed the link opens."""

from django.urls import path

from .views import calendar

app_name = "calendar"

urlpatterns = [
    path("account/calendar/", calendar.CalendarLinkView.as_view(), name="link"),
    path("account/calendar/new/", calendar.CalendarLinkNewView.as_view(), name="link-new"),
    path("account/calendar/stop/", calendar.CalendarLinkStopView.as_view(), name="link-stop"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="feed"),
]
