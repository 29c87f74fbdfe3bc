"""Under /people/: a person's panel seats live here, beside the People pages of permanence."""

from django.urls import path

from .views import seats

app_name = "seats"

urlpatterns = [
    path("<int:pk>/seats/", seats.PersonSeatsView.as_view(), name="person"),
]
