"""solieu factcheck FILE...: read past reports, check their figures, print and export the findings."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Đọc các báo cáo cũ (.txt, .docx, .pdf), kiểm tra số liệu, in và xuất các phát hiện."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Các tệp báo cáo.")
        parser.add_argument("--xlsx", help="Ghi các phát hiện ra tệp XLSX này.")
        parser.add_argument("--against-data", action="store_true",
                            help="Đối chiếu thêm với số liệu đã phê duyệt trong hệ thống.")
        parser.add_argument("--store", action="store_true",
                            help="Lưu văn bản và số liệu đọc được để xem xét, xác nhận trên web.")
        parser.add_argument("--most", type=int, default=30, help="Số phát hiện in ra (mặc định 30).")

    def handle(self, *args, files, xlsx=None, against_data=False, store=False, most=30, **options):
        from solieu.factcheck.against_data import check_against_data
        from solieu.factcheck.checks import check_all
        from solieu.factcheck.export import findings_xlsx
        from solieu.factcheck.extract import extract
        from solieu.factcheck.read import ReadError, read_document
        from solieu.factcheck.service import store_document

        statements, failed = [], 0
        for n, name in enumerate(files, start=1):
            path = Path(name)
            try:
                data = path.read_bytes()
                if store:
                    document, _ = store_document(path.name, data)
                    found = [st.as_statement() for st in document.statements.select_related("document", "indicator")]
                else:
                    found = extract(read_document(path.name, data))
            except (OSError, ReadError) as exc:
                failed += 1
                self.stderr.write(f"[{n}/{len(files)}] {path.name}: {exc}")
                continue
            statements += found
            self.stdout.write(f"[{n}/{len(files)}] {path.name}: {len(found)} số liệu")
        findings = check_all(statements)
        if against_data:
            findings = sorted(findings + check_against_data(statements), key=lambda f: -f.size)
        self.stdout.write(f"\n{len(findings)} phát hiện (xếp theo độ lệch giảm dần):")
        for i, f in enumerate(findings[:most], start=1):
            self.stdout.write(f"{i:>3}. [{f.title}] {f.message} ({f.places}; lệch {f.size:.1f}%)")
        if xlsx:
            Path(xlsx).write_bytes(findings_xlsx(findings))
            self.stdout.write(f"\nĐã ghi {xlsx}")
        if failed == len(files):
            raise CommandError("Không đọc được tệp nào.")
