"""The request being served, for audit records made deep inside model signals; the
enrolment that SOLIEU_REQUIRE_TOTP makes compulsory for approvers and administrators; and
sessions that expire when idle."""

import time
from contextvars import ContextVar

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

_current = ContextVar("solieu_request", default=None)


def current_request():
    """The request this thread or task is serving, or None (shell, management command, worker)."""
    return _current.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class RequireTotpMiddleware:
    """With SOLIEU_REQUIRE_TOTP, an approver or administrator without an authenticator is kept on
    the enrolment page (and may sign out) until one is confirmed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SOLIEU_REQUIRE_TOTP and self._must_enrol(request):
            return redirect("totp-enrol")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request):
        from . import twofactor

        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False) or request.session.get(twofactor.VERIFIED_KEY):
            return False
        allowed = (reverse("totp-enrol"), reverse("logout"), "/" + settings.STATIC_URL.lstrip("/"))
        if request.path.startswith(allowed):
            return False
        return twofactor.needs_totp(user) and twofactor.active_device(user) is None


class SlidingSessionMiddleware:
    """Idle sessions end after SESSION_COOKIE_AGE, measured from the last request, without
    writing the session on every request (SESSION_SAVE_EVERY_REQUEST costs 2–3 queries each:
    a fifth of a cell save during the deadline rush). The expiry moves at most once every
    SESSION_REFRESH_SECONDS, so an idle session ends within that much of the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.modified and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SEEN_KEY] = now   # marks it modified: SessionMiddleware saves it on the way out
        return response


SEEN_KEY = "_solieu_seen"
