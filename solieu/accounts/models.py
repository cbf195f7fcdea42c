"""Who may do what for which reporting unit, and the API tokens of systems that send figures."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from solieu.catalog.models import ReportingUnit
from solieu.ops.audit import AppendOnlyModel


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


class TotpDevice(models.Model):
    """A user's authenticator app: the shared secret, active once the user confirmed a code.

    The secret must be readable to compute codes, so it is stored as is (like the apps do);
    a database dump therefore needs the same protection as the key files.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="totp_device",
                                verbose_name="người dùng")
    secret = models.CharField("khóa bí mật", max_length=64)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    confirmed_at = models.DateTimeField("kích hoạt lúc", null=True, blank=True)
    last_step = models.BigIntegerField("bước thời gian dùng lần cuối", default=0)
    failures = models.PositiveSmallIntegerField("số lần nhập sai liên tiếp", default=0)
    locked_until = models.DateTimeField("tạm khóa đến", null=True, blank=True)

    class Meta:
        verbose_name = "xác thực hai bước"
        verbose_name_plural = "xác thực hai bước"

    def __str__(self):
        return f"{self.user} ({'đang dùng' if self.confirmed_at else 'chưa kích hoạt'})"

    @property
    def active(self):
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for a lost phone. Random enough (50 bits) that SHA-256 suffices."""

    device = models.ForeignKey(TotpDevice, models.CASCADE, related_name="recovery_codes",
                               verbose_name="xác thực hai bước")
    code_hash = models.CharField("băm SHA-256", max_length=64)
    used_at = models.DateTimeField("dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã khôi phục"
        verbose_name_plural = "mã khôi phục"

    @staticmethod
    def digest(code: str) -> str:
        normal = "".join(c for c in (code or "").lower() if c.isalnum())
        return hashlib.sha256(normal.encode()).hexdigest()


class AccountEvent(AppendOnlyModel):
    """Append-only record of sign-ins and of every change to who may do what.

    The username is copied as typed, so failed attempts on unknown names and events of
    deleted users still read on their own.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "Đăng nhập"
        LOGIN_FAILED = "login_failed", "Đăng nhập sai"
        LOGOUT = "logout", "Đăng xuất"
        LOCKED_OUT = "locked_out", "Tạm khóa do đăng nhập sai nhiều lần"
        PASSWORD_CHANGED = "password_changed", "Đổi mật khẩu"
        PASSWORD_RESET = "password_reset", "Đặt lại mật khẩu"
        TOTP_ENABLED = "totp_enabled", "Bật xác thực hai bước"
        TOTP_DISABLED = "totp_disabled", "Tắt xác thực hai bước"
        TOTP_RESET = "totp_reset", "Quản trị đặt lại xác thực hai bước"
        TOTP_UNLOCKED = "totp_unlocked", "Quản trị mở khóa bước hai"
        RECOVERY_CODE_USED = "recovery_used", "Dùng mã khôi phục"
        USER_CREATED = "user_created", "Tạo tài khoản"
        USER_DELETED = "user_deleted", "Xóa tài khoản"
        USER_FLAGS = "user_flags", "Đổi trạng thái tài khoản (hoạt động, nhân viên, toàn quyền)"
        MEMBERSHIP_CREATED = "membership_created", "Cấp vai trò"
        MEMBERSHIP_CHANGED = "membership_changed", "Sửa vai trò"
        MEMBERSHIP_DELETED = "membership_deleted", "Thu hồi vai trò"
        GROUPS_CHANGED = "groups_changed", "Đổi nhóm quyền"
        PERMISSIONS_CHANGED = "permissions_changed", "Đổi quyền"
        TOKEN_ISSUED = "token_issued", "Cấp khóa API"
        TOKEN_REVOKED = "token_revoked", "Thu hồi khóa API"

    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)
    kind = models.CharField("sự kiện", max_length=24, choices=Kind)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="tài khoản")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="người thực hiện")
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    user_agent = models.CharField("trình duyệt", max_length=255, blank=True)
    detail = models.JSONField("chi tiết", default=dict, blank=True)

    trail_name = "Nhật ký tài khoản"

    class Meta:
        verbose_name = "nhật ký tài khoản"
        verbose_name_plural = "nhật ký tài khoản"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "at"], name="accountevent_kind_at")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username}"
