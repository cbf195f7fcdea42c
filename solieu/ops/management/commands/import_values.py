from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from ninja.errors import HttpError

from solieu.api import data, dhis2
from solieu.api.auth import Principal
from solieu.catalog.models import Form
from solieu.collection.models import Channel
from solieu.ops.progress import progress_line


class FilePrincipal(Principal):
    """A user importing a file: their scope, with the file named as the source of each value."""

    def __init__(self, user, filename):
        super().__init__(user=user)
        self.filename = filename

    @property
    def source(self):
        return f"Lệnh import_values: {self.filename}"[:300]


class ReportingImporter(data.Importer):
    """The API's importer, with a progress line as it goes through the values."""

    def __init__(self, *args, progress, total, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress, self.total, self.done = progress, total, 0
        self.step = max(1, total // 200)

    def process(self, item, summary):
        try:
            return super().process(item, summary)
        finally:
            self.done += 1
            if self.done % self.step == 0 or self.done == self.total:
                self.progress(self.done, self.total, "giá trị")


class Command(BaseCommand):
    help = ("Nhập số liệu từ một tệp DHIS2 dataValueSets (JSON hoặc CSV, idScheme=CODE) với quyền của một người "
            "dùng, qua đúng đường nhập của API /api/dataValueSets (phạm vi, khóa kỳ, kiểm tra, nhật ký). Cả tệp "
            "được ghi trong một giao dịch: dừng giữa chừng thì không lưu gì.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .json hoặc .csv.")
        parser.add_argument("--user", required=True, help="Tên đăng nhập của người nhập (quyền và nhật ký).")
        parser.add_argument("--format", choices=["json", "csv"], help="Mặc định theo đuôi tệp.")
        parser.add_argument("--strategy", default="CREATE_AND_UPDATE",
                            help="CREATE, UPDATE, CREATE_AND_UPDATE (mặc định) hoặc DELETE.")
        parser.add_argument("--data-set", help="Mã biểu mẫu (dataSet) chứa các giá trị.")
        parser.add_argument("--atomic", action="store_true", help="Tất cả hoặc không: một xung đột là không lưu gì.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu.")

    def handle(self, *args, file, user, format=None, strategy="CREATE_AND_UPDATE", data_set=None, atomic=False,
               dry_run=False, **options):
        path = Path(file)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror or exc}.")
        except UnicodeDecodeError as exc:
            raise CommandError(f"Tệp {path} không đúng bảng mã UTF-8 (byte thứ {exc.start + 1}).")
        person = get_user_model().objects.filter(username=user, is_active=True).first()
        if person is None:
            raise CommandError(f'Không có người dùng "{user}" đang hoạt động.')
        try:
            strategy = data.check_strategy(strategy)
            if (format or path.suffix.lower().lstrip(".")) == "csv":
                items, form_code = dhis2.items_from_csv(text), data_set
            else:
                payload = data.load_json(text)
                items = dhis2.items_from_json(payload)
                form_code = data_set or (payload.get("dataSet") if isinstance(payload.get("dataSet"), str) else None)
        except HttpError as exc:
            raise CommandError(str(exc))
        if form_code and not Form.objects.filter(code=form_code).exists():
            raise CommandError(f'Không có biểu mẫu (dataSet) mã "{form_code}".')
        importer = ReportingImporter(FilePrincipal(person, path.name), channel=Channel.DHIS2, strategy=strategy,
                                     dry_run=dry_run, atomic=atomic, machine_strings=True, default_form=form_code,
                                     progress=progress_line(self.stderr, "nhập"), total=len(items))
        summary = importer.run(items)
        self.stderr.write("")
        for conflict in summary.conflicts[:50]:
            self.stderr.write(f"  {conflict['object']}: {conflict['value']}")
        if len(summary.conflicts) > 50:
            self.stderr.write(f"  ... và {len(summary.conflicts) - 50} xung đột khác.")
        if summary.status == "ERROR":
            raise CommandError(summary.description())
        self.stdout.write(summary.description())
