from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="oidc_issuer/sign_in.html"),
        name="sign-in",
    ),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
]
