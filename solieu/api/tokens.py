"""Issuing and revoking API keys: for administrators signed in on the web (session + CSRF).

The key is returned once, when it is issued; only its SHA-256 is stored (ApiToken). An API
key cannot manage keys, whatever its unit.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from solieu.accounts.models import ApiToken
from solieu.catalog.models import ReportingUnit

from .data import Detail

router = Router(tags=["Khóa API"])


class TokenOut(Schema):
    id: int
    unit: str
    name: str
    prefix: str
    created_at: datetime
    created_by: str | None
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    usable: bool


class TokenIssued(TokenOut):
    key: str


class TokenIn(Schema):
    unit: str
    name: str
    expires_at: datetime | None = None


def _admin(request):
    principal = request.auth
    if principal.is_token:
        raise HttpError(403, "Khóa API không được dùng để quản lý khóa API; hãy đăng nhập bằng tài khoản quản trị.")
    if not principal.is_admin:
        raise HttpError(403, "Chỉ quản trị hệ thống được cấp và thu hồi khóa API.")
    return principal.user


def _out(token, **extra):
    now = timezone.now()
    return dict(
        id=token.pk, unit=token.unit.code, name=token.name, prefix=token.prefix, created_at=token.created_at,
        created_by=token.created_by.get_username() if token.created_by_id else None, expires_at=token.expires_at,
        revoked_at=token.revoked_at, last_used_at=token.last_used_at,
        usable=token.revoked_at is None and (token.expires_at is None or token.expires_at > now), **extra,
    )


@router.get("/tokens", response={200: list[TokenOut], 403: Detail}, summary="Danh sách khóa API")
def list_tokens(request, unit: str | None = None):
    _admin(request)
    qs = ApiToken.objects.select_related("unit", "created_by").order_by("unit__code", "-created_at")
    if unit:
        qs = qs.filter(unit__code=unit)
    return Status(200, [_out(t) for t in qs])


@router.post("/tokens", response={201: TokenIssued, 400: Detail, 403: Detail},
             summary="Cấp khóa API cho một đơn vị (khóa chỉ hiện một lần)")
def issue_token(request, payload: TokenIn):
    user = _admin(request)
    unit = ReportingUnit.objects.filter(code=payload.unit).first()
    if unit is None:
        raise HttpError(400, f'Không có đơn vị báo cáo mã "{payload.unit}" trong danh mục.')
    name = payload.name.strip()
    if not name or len(name) > 120:
        raise HttpError(400, "Tên khóa (hệ thống sử dụng) phải có từ 1 đến 120 ký tự.")
    if payload.expires_at is not None and payload.expires_at <= timezone.now():
        raise HttpError(400, "Thời điểm hết hạn phải ở tương lai.")
    token, key = ApiToken.issue(unit, name, user=user, expires_at=payload.expires_at)
    return Status(201, _out(token, key=key))


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, 403: Detail, 404: Detail},
             summary="Thu hồi khóa API")
def revoke_token(request, token_id: int):
    _admin(request)
    token = get_object_or_404(ApiToken.objects.select_related("unit", "created_by"), pk=token_id)
    if token.revoked_at is None:
        token.revoke()
    return Status(200, _out(token))
