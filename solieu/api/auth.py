"""Who is calling the API, and for which reporting units they may read and write figures.

Two ways in, tried in this order on every route except /api/docs and /api/openapi.json:

* ``Authorization: Bearer <khóa>``: a per-unit API key (``ApiToken``). The key acts for its
  unit only: it reads and writes that unit's figures and nothing else. A key that is wrong,
  expired or revoked gets 401 even when a session cookie is also present, so that a system
  never silently runs under someone's browser session.
* the Django session of a logged-in user, with Django's CSRF check on unsafe methods
  (header ``X-CSRFToken``). Scopes come from ``solieu.accounts.access``: reporters write their
  units, analysts read everything, admins read and write everything.

Both give a ``Principal`` (``request.auth``), the one object the data routes ask.
"""

from django.conf import settings
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from solieu.accounts import access
from solieu.accounts.models import ApiToken, Role

INVALID_TOKEN = "Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi."
NOT_AUTHENTICATED = ("Chưa xác thực: hãy gửi khóa API trong tiêu đề \"Authorization: Bearer <khóa>\" "
                     "hoặc đăng nhập.")
CSRF_FAILED = ("Kiểm tra CSRF không thành công: khi dùng phiên đăng nhập, hãy gửi kèm tiêu đề X-CSRFToken "
               "(lấy từ cookie csrftoken); hệ thống khác hãy dùng khóa API.")


class InvalidToken(AuthenticationError):
    def __init__(self):
        super().__init__(401, INVALID_TOKEN)


class Principal:
    """The caller: a user (session) or an API key, with its scope over reporting units."""

    def __init__(self, *, user=None, token=None):
        self.user = user
        self.token = token

    @property
    def is_token(self):
        return self.token is not None

    @property
    def is_admin(self):
        return not self.is_token and access.is_admin(self.user)

    @property
    def audit_user(self):
        """The user recorded on values and audit entries (None for a key: `source` names it)."""
        return None if self.is_token else self.user

    @property
    def source(self):
        if self.is_token:
            return f"API: khóa {self.token.name} ({self.token.prefix}…, đơn vị {self.token.unit.code})"[:300]
        return "API"

    # --- reading -------------------------------------------------------------------------

    def can_read(self, unit):
        if self.is_token:
            return unit.pk == self.token.unit_id
        return access.can_read_unit(self.user, unit)

    def read_denied(self, unit):
        if self.is_token:
            return (f"Khóa API của đơn vị {self.token.unit.code} không được đọc số liệu "
                    f"của đơn vị {unit.code}.")
        return f"Bạn không có quyền xem số liệu của đơn vị {unit.code}."

    def readable(self, queryset):
        """Restrict a DataValue queryset to the units the caller may read."""
        if self.is_token:
            return queryset.filter(unit_id=self.token.unit_id)
        if access.reads_everything(self.user):
            return queryset
        return queryset.filter(unit__in=access.readable_units(self.user).values("pk"))

    # --- writing -------------------------------------------------------------------------

    def can_write(self, unit):
        if self.is_token:
            return unit.pk == self.token.unit_id
        return access.can_enter(self.user, unit) or access.is_admin(self.user)

    def write_denied(self, unit):
        if self.is_token:
            return (f"Khóa API của đơn vị {self.token.unit.code} không được ghi số liệu "
                    f"của đơn vị {unit.code}.")
        return f"Bạn không có quyền ghi số liệu của đơn vị {unit.code}."

    def entry_checks_scope(self, unit):
        """Whether entry.ensure_editable can judge this caller itself (a reporter of the unit).

        A key or an admin has no reporter membership, so the API checks their scope itself
        and asks entry only about locks (see data.ensure_unlocked)."""
        return not self.is_token and access.can_enter(self.user, unit)


class UnitScope:
    """Stands for "a reporter of this unit" when asking entry.ensure_editable about locks.

    access.roles() reads the memberships cached on the user object; this carries exactly one
    reporter role, and is never stored anywhere (values record Principal.audit_user)."""

    is_authenticated = True
    is_superuser = False

    def __init__(self, unit):
        self._solieu_roles = [(Role.REPORTER, unit.pk)]


class TokenAuth(HttpBearer):
    """Authorization: Bearer <khóa API>."""

    def authenticate(self, request, token):
        found = ApiToken.authenticate(token.strip())
        if found is None:
            raise InvalidToken()
        return Principal(token=found)


class SessionAuth(APIKeyCookie):
    """The Django session, CSRF-checked on unsafe methods; anonymous requests fall through to 401."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_FAILED)
        return Principal(user=user)


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
API_AUTH = [token_auth, session_auth]
