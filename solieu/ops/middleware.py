"""A database that refuses a connection gives a clear 503, not a bare server error.

Pages get a Vietnamese page, /api/ gets a JSON body, both with Retry-After. Three ways in:
the middleware for views, an exception handler on the NinjaAPI (it catches its views' errors
itself), and handler500 for what fails in a middleware (a session read, a TOTP check). The page
is rendered without the request context: the context processors would ask the database who
the user is.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views import defaults

logger = logging.getLogger("solieu.ops")

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
MESSAGE = ("Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Thao tác vừa rồi chưa được lưu; "
           "hãy thử lại sau ít phút.")


def unavailable_response(request, exc):
    logger.error("Cơ sở dữ liệu không phản hồi: %s %s: %s", request.method, request.path, exc,
                 exc_info=(type(exc), exc, exc.__traceback__))
    # Else SessionMiddleware would read the session again on the way out, and fail.
    request.__dict__.pop("session", None)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        page = render_to_string("ops/db_unavailable.html", {"message": MESSAGE, "stylesheet": _stylesheet()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _stylesheet():
    """The site's stylesheet, or none: this page must render even before collectstatic."""
    try:
        return static("web/solieu.css")
    except ValueError:
        return None


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if isinstance(exc, UNAVAILABLE):
            return unavailable_response(request, exc)
        return None


def server_error(request):
    """handler500: the 503 when the error was the database refusing, Django's 500 otherwise."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UNAVAILABLE):
        return unavailable_response(request, exc)
    return defaults.server_error(request)


def register(api):
    """django-ninja catches a view's exceptions itself (and shows a traceback with DEBUG on)."""
    for exc_class in UNAVAILABLE:
        api.add_exception_handler(exc_class, unavailable_response)
