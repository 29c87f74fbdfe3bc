from django.urls import include, path

from .views import after_permanence, children, dashboard, imports, measures, retention, ssda903

app_name = "tracker"

children_urlpatterns = [
    path("", children.TrackerView.as_view(), name="list"),
    path("<int:pk>/", children.ChildDetailView.as_view(), name="child"),
    path("new/", children.ChildCreateView.as_view(), name="child-create"),
    # The tracker filter's social worker box, as a name is typed.
    path("social-workers/", children.SocialWorkersView.as_view(), name="social-workers"),
    path("<int:pk>/change/", children.ChildUpdateView.as_view(), name="child-update"),
    # How long records are kept (tracker/views/retention.py)
    path("retention/", retention.RetentionReportView.as_view(), name="retention"),
    path("<int:pk>/legal-hold/", retention.LegalHoldView.as_view(), name="legal-hold"),
    # Children whose permanence is secured, with life story work outstanding (North Somerset 5)
    path(
        "after-permanence/",
        after_permanence.AfterPermanenceView.as_view(),
        name="after-permanence",
    ),
    # Saved filters
    path(
        "saved-filters/new/", children.SavedFilterCreateView.as_view(), name="saved-filter-create"
    ),
    path(
        "saved-filters/<int:pk>/remove/",
        children.SavedFilterDeleteView.as_view(),
        name="saved-filter-delete",
    ),
    # Import (tracker/views/imports.py)
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/template.csv", imports.ImportTemplateView.as_view(), name="import-template"),
    path("import/<uuid:job>/import/", imports.ImportConfirmView.as_view(), name="import-confirm"),
    # The SSDA903 return (tracker/views/ssda903.py), checked and imported as background jobs.
    path("ssda903/", ssda903.Ssda903View.as_view(), name="ssda903"),
    path("ssda903/<uuid:job>/import/", ssda903.Ssda903ImportView.as_view(), name="ssda903-import"),
    path(
        "ssda903/<uuid:job>/changes.csv", ssda903.Ssda903ReportView.as_view(), name="ssda903-report"
    ),
]

# The dashboards, under /dashboards/: apart from /children/, so the menu's "Tracker" is not
# also lit on them.
dashboard_urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("timeliness/", measures.TimelinessView.as_view(), name="timeliness"),
]

urlpatterns = [
    path("children/", include(children_urlpatterns)),
    path("dashboards/", include(dashboard_urlpatterns)),
]
