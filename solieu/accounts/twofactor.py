"""The second sign-in step: who needs it, the half-signed-in state, checking a code.

Wrong codes are throttled like wrong passwords (django-axes): after AXES_FAILURE_LIMIT
failures in a row the second step refuses every code, even a right one, for AXES_COOLOFF_TIME
hours, or until an administrator unlocks it.
"""

import enum
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import totp
from .events import record
from .models import AccountEvent, RecoveryCode, Role, TotpDevice

PENDING_KEY = "solieu_2fa_pending"
VERIFIED_KEY = "solieu_2fa_verified"
PENDING_SECONDS = 300
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


class Result(enum.Enum):
    OK = "ok"
    RECOVERY = "recovery"
    WRONG = "wrong"
    REPLAYED = "replayed"
    LOCKED = "locked"


def needs_totp(user):
    """Approvers, administrators and superusers: those whose account can approve or grant."""
    if getattr(user, "is_superuser", False):
        return True
    return user.memberships.filter(role__in=[Role.APPROVER, Role.ADMIN]).exists()


def active_device(user):
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def begin(request, user, next_url):
    """Password accepted: remember who is half signed in, for a few minutes only."""
    request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "next": next_url,
                                    "until": time.time() + PENDING_SECONDS}


def pending(request):
    """(user, backend, next URL) of the half-signed-in user, or None when absent or expired."""
    data = request.session.get(PENDING_KEY)
    if not data:
        return None
    if data["until"] < time.time():
        del request.session[PENDING_KEY]
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return user, data["backend"], data["next"]


def forget_pending(request):
    request.session.pop(PENDING_KEY, None)


def lockout_minutes():
    return round(settings.AXES_COOLOFF_TIME * 60)


def check(request, device, code):
    """Check an authenticator code or, failing that, a recovery code; count and audit failures.

    The device row is locked for the check, so two requests cannot both use the same time step.
    """
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().get(pk=device.pk)
        now = timezone.now()
        if device.locked_until and device.locked_until > now:
            return Result.LOCKED
        step = totp.matching_step(device.secret, code)
        if step is not None and step > device.last_step:
            _succeed(device, last_step=step)
            return Result.OK
        if step is None and device.active:
            used = device.recovery_codes.filter(code_hash=RecoveryCode.digest(code), used_at__isnull=True).first()
            if used is not None:
                used.used_at = now
                used.save(update_fields=["used_at"])
                _succeed(device)
                left = device.recovery_codes.filter(used_at__isnull=True).count()
                record(AccountEvent.Kind.RECOVERY_CODE_USED, user=device.user, request=request, left=left)
                return Result.RECOVERY
        return _fail(request, device, now, replayed=step is not None)


def _succeed(device, **fields):
    for name, value in {"failures": 0, "locked_until": None, **fields}.items():
        setattr(device, name, value)
    device.save(update_fields=["failures", "locked_until", *fields])


def _fail(request, device, now, replayed):
    if device.locked_until:  # an earlier lock has run out: count afresh
        device.failures, device.locked_until = 0, None
    device.failures += 1
    locked = device.failures >= settings.AXES_FAILURE_LIMIT
    if locked:
        device.locked_until = now + timedelta(hours=settings.AXES_COOLOFF_TIME)
    device.save(update_fields=["failures", "locked_until"])
    record(AccountEvent.Kind.LOGIN_FAILED, user=device.user, request=request, actor=None, step="totp",
           replayed=replayed, failures=device.failures)
    if locked:
        record(AccountEvent.Kind.LOCKED_OUT, user=device.user, request=request, actor=None, step="totp")
        return Result.LOCKED
    return Result.REPLAYED if replayed else Result.WRONG


def issue_recovery_codes(device):
    """Replace the device's recovery codes by ten new ones; the plain codes are returned once."""
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    codes = [f"{c[:5]}-{c[5:]}" for c in codes]
    device.recovery_codes.all().delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, code_hash=RecoveryCode.digest(c)) for c in codes)
    return codes


def start_enrolment(user):
    """The user's unconfirmed device, created with a new secret when there is none."""
    device, _ = TotpDevice.objects.get_or_create(user=user, defaults={"secret": totp.new_secret()})
    return device


def confirm(request, device, code):
    """Activate a new device with a first valid code; returns the recovery codes, or None."""
    step = totp.matching_step(device.secret, code)
    if step is None:
        return None
    with transaction.atomic():
        device.confirmed_at, device.last_step, device.failures, device.locked_until = timezone.now(), step, 0, None
        device.save()
        codes = issue_recovery_codes(device)
        record(AccountEvent.Kind.TOTP_ENABLED, user=device.user, request=request)
    return codes


def disable(request, device, kind=AccountEvent.Kind.TOTP_DISABLED, **detail):
    """Remove a device and its recovery codes; by the user, or by an administrator (reset)."""
    user = device.user
    with transaction.atomic():
        device.delete()
        record(kind, user=user, request=request, **detail)
