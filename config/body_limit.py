"""Refuse oversize request bodies before anything reads them.

Django reads a POST's body the first time `request.POST` is touched (the CSRF check does, before the view), and
spools a multipart file to disk whatever its size; so an anonymous 300 MB post to the upload or sign-in URL was
read in full before any limit applied. The declared Content-Length decides here, before the body is read.
"""

from django.conf import settings
from django.http import HttpResponse


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not (declared.isascii() and declared.isdigit()):
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain; charset=utf-8")
        limit = settings.REQUEST_BODY_MAX_BYTES
        if int(declared) > limit:
            message = f"The request is larger than {limit / 1024 / 1024:g} MB and was refused before it was read."
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
