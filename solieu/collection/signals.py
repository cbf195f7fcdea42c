"""Remember when a user last came, so that "Công việc của tôi" can list what changed since.

Django's own receiver `update_last_login` overwrites `user.last_login` (in memory and in the
database) when `user_logged_in` is sent, and receivers run in the order they were connected.
Ours must read the old value first, so it is connected and Django's receiver is moved after it.
The previous value is kept in the new session (login has already cycled the session key).

Imported by solieu.collection.views, which the URLconf loads before any login can happen.
"""

from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.utils.dateparse import parse_datetime

SESSION_KEY = "solieu_previous_login"


def remember_previous_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    previous = getattr(user, "last_login", None)
    session[SESSION_KEY] = previous.isoformat() if previous else None


def previous_login(request):
    """The user's login before the current one, or None for a first login."""
    value = request.session.get(SESSION_KEY)
    return parse_datetime(value) if value else None


def connect():
    user_logged_in.connect(remember_previous_login, dispatch_uid="solieu_previous_login")
    if user_logged_in.disconnect(dispatch_uid="update_last_login"):
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")


connect()
