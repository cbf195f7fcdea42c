import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from solieu.accounts.models import Membership, Role
from solieu.catalog.models import ReportingUnit

# username, full name, role, unit code (None: every unit), superuser
DEMO_USERS = [
    ("admin", "Quản trị viên", Role.ADMIN, None, True),
    ("chuyenvien", "Nguyễn Thu Hà (Vụ KHTC)", Role.ANALYST, None, False),
    ("so01", "Trần Minh Đức (Sở KH&CN Hà Nội)", Role.REPORTER, "SKHCN-01", False),
    ("lanhdao01", "Lê Văn Hùng (Giám đốc Sở KH&CN Hà Nội)", Role.APPROVER, "SKHCN-01", False),
    ("so79", "Phạm Thị Lan (Sở KH&CN TP. Hồ Chí Minh)", Role.REPORTER, "SKHCN-79", False),
    ("vukhtc", "Hoàng Quốc Bảo (Vụ Kế hoạch - Tài chính)", Role.APPROVER, "VU_KHTC", False),
    ("vnpost", "Đỗ Mai Anh (Tổng công ty Bưu điện Việt Nam)", Role.REPORTER, "VNPOST", False),
]


class Command(BaseCommand):
    help = "Tạo (hoặc đặt lại mật khẩu) các tài khoản của bản demo và in thông tin đăng nhập."

    def handle(self, *args, **options):
        password = os.environ.get("SOLIEU_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        User = get_user_model()
        lines = []
        for username, full_name, role, unit_code, superuser in DEMO_USERS:
            unit = ReportingUnit.objects.filter(code=unit_code).first() if unit_code else None
            if unit_code and unit is None:
                continue
            user, _ = User.objects.get_or_create(username=username)
            user.email = f"{username}@example.invalid"
            user.first_name, user.last_name = full_name, ""
            user.is_staff = user.is_superuser = superuser
            user.set_password(password)
            user.save()
            Membership.objects.get_or_create(user=user, role=role, unit=unit)
            lines.append(f"  {username:<12} {Role(role).label}{f' - {unit}' if unit else ''}")
        port = os.environ.get("SOLIEU_PORT", "8000")
        self.stdout.write("")
        self.stdout.write("  Đăng nhập bản demo / Demo login")
        self.stdout.write(f"  Địa chỉ:        http://127.0.0.1:{port}/")
        self.stdout.write("  Tên đăng nhập:  admin  (quản trị; các tài khoản khác bên dưới)")
        self.stdout.write(f"  Mật khẩu:       {password}  (chung cho mọi tài khoản demo)")
        self.stdout.write("")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
