from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from solieu.collection.admin import ReadOnlyAdmin

from . import twofactor
from .events import record
from .models import AccountEvent, ApiToken, Membership, TotpDevice


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__first_name", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with the key shown once (solieu issue_token); the admin only lists and revokes."""

    list_display = ["name", "unit", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "unit__code"]
    readonly_fields = ["prefix", "key_hash", "created_by", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Thu hồi các khóa đã chọn")
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    """The account trail, read only: nobody adds, edits or removes an entry, not even a superuser."""

    list_display = ["at", "kind", "username", "user", "actor", "ip"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter), ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "ip", "user__username", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["user", "actor"]


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Second-step devices: the secret is never shown; resetting one is audited."""

    list_display = ["user", "confirmed_at", "failures", "locked_until"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username"]
    fields = ["user", "created_at", "confirmed_at", "failures", "locked_until"]
    readonly_fields = fields
    actions = ["reset", "unlock"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the reset action does it, with an audit entry

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Đặt lại xác thực hai bước (người dùng phải bật lại)", permissions=["change"])
    def reset(self, request, queryset):
        for device in queryset.select_related("user"):
            twofactor.disable(request, device, kind=AccountEvent.Kind.TOTP_RESET)
        self.message_user(request, "Đã đặt lại xác thực hai bước của các tài khoản đã chọn.")

    @admin.action(description="Mở khóa bước hai (sau nhiều lần nhập sai mã)", permissions=["change"])
    def unlock(self, request, queryset):
        for device in queryset.select_related("user"):
            device.failures, device.locked_until = 0, None
            device.save(update_fields=["failures", "locked_until"])
            record(AccountEvent.Kind.TOTP_UNLOCKED, user=device.user, request=request)
        self.message_user(request, "Đã mở khóa bước hai của các tài khoản đã chọn.")


def _sign_in_first(request, extra_context=None):
    """The admin has no login form of its own: it would skip the second step."""
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"), reverse("login"))


admin.site.login = _sign_in_first
