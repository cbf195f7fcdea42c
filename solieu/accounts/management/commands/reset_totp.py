"""The way back in for someone without phone or recovery codes, the last administrator included:
the admin action needs a signed-in administrator, this needs only the server."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from solieu.accounts import twofactor
from solieu.accounts.events import record
from solieu.accounts.models import AccountEvent, TotpDevice


class Command(BaseCommand):
    help = "Đặt lại xác thực hai bước của một tài khoản (hoặc chỉ mở khóa với --mo-khoa)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="tên đăng nhập")
        parser.add_argument("--mo-khoa", action="store_true", dest="unlock",
                            help="chỉ mở khóa bước hai sau nhiều lần nhập sai, giữ nguyên ứng dụng xác thực")

    def handle(self, username, unlock, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        device = TotpDevice.objects.filter(user=user).first()
        if device is None:
            raise CommandError(f"Tài khoản “{username}” chưa bật xác thực hai bước.")
        if unlock:
            device.failures, device.locked_until = 0, None
            device.save(update_fields=["failures", "locked_until"])
            record(AccountEvent.Kind.TOTP_UNLOCKED, user=user, via="command")
            self.stdout.write(f"Đã mở khóa bước hai của “{username}”.")
        else:
            twofactor.disable(None, device, kind=AccountEvent.Kind.TOTP_RESET, via="command")
            self.stdout.write(f"Đã đặt lại xác thực hai bước của “{username}”: lần đăng nhập tới chỉ cần mật khẩu.")
