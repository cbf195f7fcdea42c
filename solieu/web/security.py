"""Request facts that depend on how solieu is deployed."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address for login throttling: the proxy's X-Real-IP when configured so.

    Trusting the header only when SOLIEU_BEHIND_PROXY is set keeps a client that talks to
    the server directly from choosing its own address.
    """
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        try:  # a malformed header would fail axes' inet column on PostgreSQL
            return str(ipaddress.ip_address(request.META["HTTP_X_REAL_IP"].strip()))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")
