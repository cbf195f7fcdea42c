from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from solieu.assignments.demo import load_demo_tasks


class Command(BaseCommand):
    help = ("Nạp khoảng 40 nhiệm vụ mẫu (nhiệm vụ trọng tâm trong các báo cáo mẫu năm 2022, 2023 và một kế hoạch "
            "có thời hạn tính theo hôm nay). Chạy lại không nạp trùng.")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Ngày coi là hôm nay (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        try:
            counts = load_demo_tasks(today or timezone.localdate())
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã nạp {counts['tasks']} nhiệm vụ mẫu ({counts['documents']} văn bản giao mới); "
                          f"bỏ qua {counts['skipped']} nhiệm vụ đã có.")
