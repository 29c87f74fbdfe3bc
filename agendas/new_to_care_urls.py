"""Lancashire's new children looked after, under /new-children-looked-after/ (namespace
"new-to-care"): a list across the panels that hear them, so it has its own menu entry."""

from django.urls import path

from .views import new_to_care

app_name = "new-to-care"

urlpatterns = [
    path("", new_to_care.NewChildrenLookedAfterView.as_view(), name="list"),
    path("<int:child>/book/", new_to_care.NewToCareBookView.as_view(), name="book"),
]
