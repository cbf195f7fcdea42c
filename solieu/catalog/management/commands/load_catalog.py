from django.core.management.base import BaseCommand

from solieu.catalog.loader import load_catalog


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) danh mục quốc gia mặc định; chạy lại nhiều lần cho cùng kết quả."

    def handle(self, *args, **options):
        def progress(n, total, label):
            self.stderr.write(f"[{n}/{total}] Nạp {label}...")

        counts = load_catalog(progress=progress)
        width = max(len(k) for k in counts)
        for label, count in counts.items():
            self.stdout.write(f"{label.ljust(width)}  {count:>6}")
