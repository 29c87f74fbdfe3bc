from django.urls import path

from . import views

app_name = "agendas"


def _part_urls(prefix: str, name: str, create, update, delete) -> list:
    """Add, change and remove pages for one kind of part of a panel's set-up."""
    return [
        path(f"<slug:slug>/{prefix}/add/", create.as_view(), name=f"{name}-add"),
        path(f"<slug:slug>/{prefix}/<int:pk>/change/", update.as_view(), name=f"{name}-change"),
        path(f"<slug:slug>/{prefix}/<int:pk>/remove/", delete.as_view(), name=f"{name}-remove"),
    ]


urlpatterns = [
    path("", views.PanelListView.as_view(), name="panel-list"),
    path("<slug:slug>/", views.PanelDetailView.as_view(), name="panel-detail"),
    path("<slug:slug>/change/", views.PanelUpdateView.as_view(), name="panel-change"),
    *_part_urls(
        "sections",
        "section",
        views.SectionCreateView,
        views.SectionUpdateView,
        views.SectionDeleteView,
    ),
    *_part_urls(
        "breaks",
        "break",
        views.BreakCreateView,
        views.BreakUpdateView,
        views.BreakDeleteView,
    ),
    *_part_urls(
        "request-types",
        "request-type",
        views.RequestTypeCreateView,
        views.RequestTypeUpdateView,
        views.RequestTypeDeleteView,
    ),
    *_part_urls(
        "documents",
        "document",
        views.DocumentCreateView,
        views.DocumentUpdateView,
        views.DocumentDeleteView,
    ),
    *_part_urls(
        "members",
        "member",
        views.MemberCreateView,
        views.MemberUpdateView,
        views.MemberDeleteView,
    ),
]
