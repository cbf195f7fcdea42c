"""The request being served, for audit records made deep inside model signals; and the
enrolment that SOLIEU_REQUIRE_TOTP makes compulsory for approvers and administrators."""

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
