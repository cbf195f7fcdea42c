"""Who may do what for which reporting unit, and the API tokens of systems that send figures."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from solieu.catalog.models import ReportingUnit


class Role(models.TextChoices):
    REPORTER = "reporter", "Người báo cáo"
    APPROVER = "approver", "Người phê duyệt"
    ANALYST = "analyst", "Chuyên viên tổng hợp của Bộ"
    ADMIN = "admin", "Quản trị hệ thống"


class Membership(models.Model):
    """A role held by a user, for one unit (reporter, approver) or for everything (analyst, admin).

    An approver of a unit approves that unit's submissions and, when the unit receives a form,
    the submissions of that form from the units it receives from.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships",
                             verbose_name="người dùng")
    role = models.CharField("vai trò", max_length=10, choices=Role)
    unit = models.ForeignKey(ReportingUnit, models.CASCADE, null=True, blank=True, related_name="memberships",
                             verbose_name="đơn vị")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "vai trò người dùng"
        verbose_name_plural = "vai trò người dùng"
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="uniq_membership")]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()}{f' ({self.unit})' if self.unit_id else ''}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A key for a system that sends one unit's figures. Only its SHA-256 is stored; the key
    itself is shown once, when it is created."""

    PREFIX_LENGTH = 8

    unit = models.ForeignKey(ReportingUnit, models.CASCADE, related_name="api_tokens", verbose_name="đơn vị")
    name = models.CharField("tên (hệ thống sử dụng)", max_length=120)
    prefix = models.CharField("tiền tố", max_length=PREFIX_LENGTH, unique=True)
    key_hash = models.CharField("băm SHA-256", max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"

    def __str__(self):
        return f"{self.name} ({self.prefix}…, {self.unit.code})"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, unit, name, *, user=None, expires_at=None):
        """Create a token; returns (token, key). The key cannot be recovered later."""
        prefix = secrets.token_hex(cls.PREFIX_LENGTH // 2)
        key = f"sl_{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(unit=unit, name=name, prefix=prefix, key_hash=cls.digest(key),
                                   created_by=user, expires_at=expires_at)
        return token, key

    @classmethod
    def authenticate(cls, key: str):
        token = cls.objects.usable().select_related("unit").filter(key_hash=cls.digest(key or "")).first()
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
