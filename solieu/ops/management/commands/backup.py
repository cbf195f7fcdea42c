from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from solieu.ops import backup
from solieu.ops.progress import progress_line
from solieu.vi import format_number


def summary(manifest):
    tables = manifest["tables"]
    rows = sum(t["rows"] for t in tables.values())
    return (f"{backup.ENGINE_LABELS.get(manifest['engine'], manifest['engine'])}, tạo lúc {manifest['created_at']}, "
            f"solieu {manifest.get('solieu_version')}, {format_number(len(tables))} bảng, {format_number(rows)} dòng")


class Command(BaseCommand):
    help = ("Sao lưu toàn bộ cơ sở dữ liệu (SQLite hoặc PostgreSQL) vào một tệp .tar kèm manifest.json (số dòng và "
            "tổng kiểm SHA-256 của từng bảng). Chạy được khi máy chủ đang hoạt động. --verify TỆP: kiểm tra một bản "
            "sao lưu mà không khôi phục.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?",
                            help="Tệp sao lưu (mặc định: SOLIEU_DATA_DIR/backups/solieu-<ngày giờ>.tar).")
        parser.add_argument("--verify", action="store_true", help="Chỉ kiểm tra tệp sao lưu đã có.")

    def handle(self, *args, file=None, verify=False, **options):
        progress = progress_line(self.stderr, "kiểm tra" if verify else "sao lưu")
        try:
            if verify:
                if not file:
                    raise CommandError("Hãy cho biết tệp cần kiểm tra: solieu backup --verify TỆP.")
                manifest = backup.verify(file, progress)
                self.stderr.write("")
                checked = ("số dòng và tổng kiểm SHA-256 của từng bảng khớp manifest"
                           if manifest["engine"] == "sqlite" else
                           "tệp dump khớp tổng kiểm SHA-256 và pg_restore đọc được; số dòng và tổng kiểm từng bảng "
                           "được đối chiếu khi khôi phục")
                self.stdout.write(f"Bản sao lưu {file} hợp lệ ({summary(manifest)}): {checked}.")
                return
            path = Path(file) if file else (
                Path(settings.DATA_DIR) / "backups" / f"solieu-{datetime.now():%Y%m%d-%H%M%S}.tar")
            manifest = backup.create(path, progress)
        except backup.BackupError as exc:
            self.stderr.write("")
            raise CommandError(str(exc))
        self.stderr.write("")
        size = format_number(round(path.stat().st_size / 1024))
        self.stdout.write(f"Đã sao lưu cơ sở dữ liệu {connection.settings_dict.get('NAME')} vào {path} "
                          f"({summary(manifest)}, {size} KB).")
