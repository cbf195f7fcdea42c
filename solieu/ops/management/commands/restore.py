from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from solieu.ops import backup
from solieu.ops.management.commands.backup import summary
from solieu.ops.progress import progress_line

YES = {"co", "có", "c", "yes", "y"}


class Command(BaseCommand):
    help = ("Khôi phục cơ sở dữ liệu từ một tệp sao lưu của `solieu backup`: thay toàn bộ dữ liệu hiện có, rồi đối "
            "chiếu số dòng và tổng kiểm của mọi bảng với bản sao lưu. Dừng máy chủ web và tác vụ nền trước khi chạy.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu (.tar).")
        parser.add_argument("--yes", "--no-input", "--noinput", action="store_true", dest="yes",
                            help="Không hỏi xác nhận.")

    def handle(self, *args, file, yes=False, **options):
        progress = progress_line(self.stderr, "khôi phục")
        try:
            manifest = backup.read_manifest(file)
            backup.check_restorable(file, manifest)
            if not yes:
                answer = input(
                    "Khôi phục sẽ XÓA toàn bộ dữ liệu hiện có của cơ sở dữ liệu "
                    f"{connection.settings_dict.get('NAME')} và thay bằng bản sao lưu {file} ({summary(manifest)}).\n"
                    'Hãy dừng máy chủ web và tác vụ nền trước. Nhập "co" để tiếp tục: ')
                if answer.strip().lower() not in YES:
                    raise CommandError("Đã hủy, cơ sở dữ liệu không bị thay đổi.")
            manifest, problems = backup.restore(file, progress)
        except backup.BackupError as exc:
            self.stderr.write("")
            raise CommandError(str(exc))
        self.stderr.write("")
        if problems:
            raise CommandError("Đã khôi phục nhưng dữ liệu không khớp bản sao lưu: " + "; ".join(problems)
                               + ". Có thể máy chủ web hoặc tác vụ nền vẫn đang ghi: hãy dừng chúng rồi khôi phục lại.")
        self.stdout.write(f"Đã khôi phục {file} ({summary(manifest)}) và kiểm tra: số dòng và tổng kiểm SHA-256 của "
                          "mọi bảng khớp với bản sao lưu.")
        if backup.older_schema(manifest):
            self.stdout.write("Bản sao lưu có cấu trúc dữ liệu cũ hơn phiên bản đang chạy: hãy chạy `solieu migrate`.")
