from django.urls import path

from .views import agenda, bookings, contributions, meetings, packs, panels, planning, tracking

app_name = "agendas"


def _part_urls(prefix: str, name: str, create, update, delete) -> list:
    """Add, change and remove pages for one kind of part of a panel's set-up."""
    return [
        path(f"<slug:slug>/{prefix}/add/", create.as_view(), name=f"{name}-add"),
        path(f"<slug:slug>/{prefix}/<int:pk>/change/", update.as_view(), name=f"{name}-change"),
        path(f"<slug:slug>/{prefix}/<int:pk>/remove/", delete.as_view(), name=f"{name}-remove"),
    ]


urlpatterns = [
    path("", panels.PanelListView.as_view(), name="panel-list"),
    path("<slug:slug>/", panels.PanelDetailView.as_view(), name="panel-detail"),
    path("<slug:slug>/change/", panels.PanelUpdateView.as_view(), name="panel-change"),
    path(
        "<slug:slug>/contributions/",
        contributions.ExpectedContributionsView.as_view(),
        name="contributions-change",
    ),
    path("<slug:slug>/schedule/", meetings.ScheduleMeetingsView.as_view(), name="schedule"),
    path("<slug:slug>/meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting"),
    path(
        "<slug:slug>/meetings/<int:pk>/change/",
        meetings.MeetingUpdateView.as_view(),
        name="meeting-change",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/cancel/",
        meetings.MeetingCancelView.as_view(),
        name="meeting-cancel",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/theme/",
        meetings.MeetingThemeView.as_view(),
        name="meeting-theme",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/book/",
        bookings.BookingCreateView.as_view(),
        name="booking-add",
    ),
    path("<slug:slug>/meetings/<int:pk>/agenda/", agenda.AgendaView.as_view(), name="agenda"),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda.pdf",
        agenda.AgendaPdfView.as_view(),
        name="agenda-pdf",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda/agree/",
        agenda.AgendaAgreeView.as_view(),
        name="agenda-agree",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda/circulated/",
        agenda.AgendaCirculateView.as_view(),
        name="agenda-circulated",
    ),
    path("<slug:slug>/meetings/<int:pk>/pack/", packs.PackBuildView.as_view(), name="pack-build"),
    path(
        "<slug:slug>/meetings/<int:pk>/pack/status/",
        packs.PackStatusView.as_view(),
        name="pack-status",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/pack/download/",
        packs.PackDownloadView.as_view(),
        name="pack-download",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/tracking/<int:section>/build/",
        tracking.TrackingListView.as_view(),
        name="tracking-list",
    ),
    path("<slug:slug>/waiting-list/", bookings.WaitingListView.as_view(), name="waiting-list"),
    *_part_urls(
        "sections",
        "section",
        panels.SectionCreateView,
        panels.SectionUpdateView,
        panels.SectionDeleteView,
    ),
    *_part_urls(
        "breaks",
        "break",
        panels.BreakCreateView,
        panels.BreakUpdateView,
        panels.BreakDeleteView,
    ),
    *_part_urls(
        "request-types",
        "request-type",
        panels.RequestTypeCreateView,
        panels.RequestTypeUpdateView,
        panels.RequestTypeDeleteView,
    ),
    *_part_urls(
        "documents",
        "document",
        panels.DocumentCreateView,
        panels.DocumentUpdateView,
        panels.DocumentDeleteView,
    ),
    *_part_urls(
        "planning-questions",
        "planning-question",
        planning.PlanningQuestionCreateView,
        planning.PlanningQuestionUpdateView,
        planning.PlanningQuestionDeleteView,
    ),
    *_part_urls(
        "members",
        "member",
        panels.MemberCreateView,
        panels.MemberUpdateView,
        panels.MemberDeleteView,
    ),
]
