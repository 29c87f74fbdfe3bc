from django.conf import settings

from .navigation import navigation_for


def service(request):
    user = getattr(request, "user", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(user, request.path) if user and user.is_authenticated else [],
    }
