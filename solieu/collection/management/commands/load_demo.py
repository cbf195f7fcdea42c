from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from solieu.collection.demo import load_demo
from solieu.ops.progress import progress_line


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu từ tháng 1/2022 đến nay cho mọi biểu mẫu và đơn vị; "
            "số liệu toàn quốc 6 tháng đầu năm 2022, 2023 khớp các báo cáo đã công bố.")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Ngày coi là hôm nay (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        result = load_demo(today or timezone.localdate(), progress=progress_line(self.stderr, "biểu"))
        self.stderr.write("")
        self.stdout.write(f"Đã nạp {result['values']:,} số liệu, {result['targets']} kế hoạch năm, "
                          f"{result['periods']} kỳ báo cáo.".replace(",", "."))
