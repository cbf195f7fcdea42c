"""Compare every built kind total with the live engine; --repair rebuilds the ones that differ.

Run it after anything that wrote figures past values.py and workflow.py (a restore from an
older archive, a hand-made SQL fix): the totals are only as right as the paths that keep them."""

from django.core.management.base import BaseCommand
from django.db import transaction

from solieu.analytics import sums
from solieu.analytics.models import BuiltTotal, KindTotal
from solieu.ops.progress import progress_line


class Command(BaseCommand):
    help = "Đối chiếu số tổng hợp giữ sẵn theo loại đơn vị với số tính lại từ số liệu gốc."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="xây lại những kỳ có chênh lệch")

    def handle(self, *args, repair=False, **options):
        built = list(BuiltTotal.objects.select_related("period").order_by("period__start_date", "kind"))
        show = progress_line(self.stderr, "đối chiếu")
        wrong, catalog = [], sums.BuildCatalog()
        for n, b in enumerate(built, 1):
            show(n, len(built), f"{b.kind} {b.period.code}")
            with transaction.atomic():
                sums._lock_table("SHARE ROW EXCLUSIVE")
                fresh, _ = sums.computed(b.kind, b.period, catalog)
                if sums.stored(b.kind, b.period) != fresh:
                    wrong.append(b)
                    if repair:
                        KindTotal.objects.filter(kind=b.kind, period=b.period).delete()
                        BuiltTotal.objects.filter(pk=b.pk).delete()
                        sums.build(b.kind, b.period, catalog)
        if built:
            self.stderr.write("")
        for b in wrong:
            self.stdout.write(f"Chênh lệch: {b.kind} kỳ {b.period.code}" + (" — đã xây lại" if repair else ""))
        self.stdout.write(f"Đã đối chiếu {len(built)} kỳ × loại đơn vị; {len(wrong)} có chênh lệch.")
        if wrong and not repair:
            raise SystemExit(1)
