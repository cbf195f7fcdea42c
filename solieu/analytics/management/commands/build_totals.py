"""Build the kind totals of the periods reports ask for, ahead of the first report.

After a deployment, a restore, or `bench.generate`: the first national report would otherwise
read the large kinds live while the worker builds their totals. Nightly with `--since` this
year: next year's periods get built while still empty."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from solieu.analytics import sums
from solieu.catalog.models import Period
from solieu.catalog.periods import PeriodId, PeriodType
from solieu.ops.progress import progress_line


class Command(BaseCommand):
    help = "Xây số tổng hợp giữ sẵn theo loại đơn vị cho các kỳ báo cáo (tháng, quý, 6 tháng, 9 tháng, năm)."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=int, help="từ năm (mặc định: mọi năm có kỳ báo cáo)")
        parser.add_argument("--kind", action="append", help="chỉ loại đơn vị này (có thể lặp lại)")

    def handle(self, *args, since=None, kind=None, **options):
        # This year's and next year's periods are created now, so that their totals are built
        # while they hold few values and are kept current from the first one (cheap, nightly).
        year = timezone.localdate().year
        for y in (year, year + 1):
            codes = [f"{y}{m:02d}" for m in range(1, 13)] + [f"{y}Q{q}" for q in range(1, 5)]
            for code in codes + [f"{y}S1", f"{y}S2", f"{y}N9", f"{y}"]:
                Period.objects.for_id(PeriodId.parse(code))
        periods = Period.objects.exclude(type=PeriodType.RANGE).order_by("start_date", "end_date")
        if since:
            periods = periods.filter(start_date__year__gte=since)
        done = sums.build_all(kind or sums.KINDS, list(periods), progress_line(self.stderr, "xây số tổng hợp"))
        if done:
            self.stderr.write("")
        self.stdout.write(f"Đã xây {done} kỳ × loại đơn vị.")
