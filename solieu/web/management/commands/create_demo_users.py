import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Tạo (hoặc đặt lại mật khẩu) tài khoản quản trị của bản demo và in thông tin đăng nhập."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password = os.environ.get("SOLIEU_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=username, defaults={"email": "admin@example.invalid"})
        user.is_staff = user.is_superuser = True
        user.first_name, user.last_name = "Quản trị", "viên"
        user.set_password(password)
        user.save()
        self.stdout.write("")
        self.stdout.write("  Đăng nhập bản demo / Demo login")
        self.stdout.write(f"  Địa chỉ:        http://127.0.0.1:{os.environ.get('SOLIEU_PORT', '8000')}/")
        self.stdout.write(f"  Tên đăng nhập:  {username}")
        self.stdout.write(f"  Mật khẩu:       {password}")
        self.stdout.write("")
