"""One way to write an AccountEvent, with who did it and from where."""

import ipaddress

from .middleware import current_request
from .models import AccountEvent

_ANONYMOUS = object()


def record(kind, *, user=None, username=None, request=None, actor=_ANONYMOUS, **detail):
    """Append an event. The actor is the signed-in user of the request being served (an
    administrator changing someone else's account), unless given."""
    request = request or current_request()
    if actor is _ANONYMOUS:
        actor = getattr(request, "user", None) if request is not None else None
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "pk", None):
        actor = None
    if username is None:
        username = user.get_username() if user is not None else ""
    ip, agent = None, ""
    if request is not None:
        from solieu.web.security import client_ip

        try:
            ip = str(ipaddress.ip_address(client_ip(request)))
        except ValueError:  # a proxy header is not to be trusted to hold an address
            ip = None
        agent = request.META.get("HTTP_USER_AGENT", "")[:255]
    return AccountEvent.objects.create(kind=kind, user=user, actor=actor, username=(username or "")[:150],
                                       ip=ip, user_agent=agent, detail=detail)
