"""Refuse a request body over the upload limit before anything reads it.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves file uploads out of its count, and the upload
handlers only stop a file once it has been read to disk, so without this a 200 MB body is
received in full before the service refuses the file. The declared length is checked here,
first; a body sent without one (chunked) is not read by Django at all.
"""

from django.conf import settings
from django.http import HttpResponse

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>The file is too large – {service}</title></head>
<body>
<h1>The file is too large</h1>
<p>Files must be {limit} MB or smaller. Go back and choose a smaller file, or save it again
as a smaller PDF.</p>
</body>
</html>
"""


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads a malformed length as no body
        if length > settings.REQUEST_BODY_MAX_MB * 1024 * 1024:
            return HttpResponse(
                PAGE.format(service=settings.SERVICE_NAME, limit=settings.SUBMISSION_MAX_UPLOAD_MB),
                status=413,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)
