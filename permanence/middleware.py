"""Nothing a signed-in person is shown stays in a cache.

Every page, download and export a signed-in person gets may name a child, so none of them
is kept by the browser (its back button, its disk cache) or by a proxy between: the
response says `Cache-Control: no-store, private`. Static files are answered earlier, by
WhiteNoise, and stay cacheable; so are the sign-in and password-reset pages.
"""

from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
