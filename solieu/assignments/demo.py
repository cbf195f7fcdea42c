"""Demo tasks: the "nhiệm vụ trọng tâm" of the seed reports (data/demo_tasks.yaml), loaded once.

Loading twice adds nothing: documents are found by kind and number, tasks by document and
TT. The third document's deadlines are counted from `today` so that the overview always has
tasks overdue, due soon and done.
"""

from datetime import date, timedelta
from pathlib import Path

import yaml
from django.db import transaction

from solieu.catalog.models import ReportingUnit, Sector
from solieu.catalog.periods import PeriodId
from solieu.vi import format_date

from . import changes
from .deadlines import parse_deadline
from .models import ResultStatus, SourceDocument, Task

DATA = Path(__file__).parent / "data" / "demo_tasks.yaml"


def _deadline_text(spec, today):
    if "deadline" in spec:
        return spec["deadline"]
    if "in" in spec:
        return f"Trước ngày {format_date(today + timedelta(days=spec['in']))}"
    pid = PeriodId.containing({"year": "year", "quarter": "quarter"}[spec["period"]], today)
    return pid.label_title()


def _done_on(spec, today):
    if "done" in spec:
        return spec["done"]
    if "done_in" in spec:
        return today + timedelta(days=spec["done_in"])
    return None


@transaction.atomic
def load_demo_tasks(today: date) -> dict:
    data = yaml.safe_load(DATA.read_text("utf-8"))
    units = {u.code: u for u in ReportingUnit.objects.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    counts = {"documents": 0, "tasks": 0, "skipped": 0}
    for doc in data["documents"]:
        issued_on = doc.get("issued_on") or today + timedelta(days=doc.get("issued_in", 0))
        document, created = SourceDocument.objects.get_or_create(
            kind=doc["kind"], number=doc["number"],
            defaults={"issued_on": issued_on, "issuer": doc["issuer"], "title": doc["title"]})
        counts["documents"] += created
        for spec in doc["tasks"]:
            if Task.objects.filter(document=document, order=spec["order"]).exists():
                counts["skipped"] += 1
                continue
            if spec["unit"] not in units:
                raise LookupError(f"Chưa có đơn vị {spec['unit']} trong danh mục: hãy chạy load_catalog trước.")
            results = [(r.get("text", ""), parse_deadline(_deadline_text(r, today), document.year),
                        _done_on(r, today), r.get("evidence", "")) for r in spec["results"]]
            task = changes.create_task(None, title=spec["title"], responsible_unit=units[spec["unit"]],
                                       results=results, document=document, order=spec["order"],
                                       sector=sectors.get(spec.get("sector")), priority=doc.get("priority"),
                                       source="Dữ liệu mẫu")
            # Results not done whose deadline is near or past are under way, as in real life.
            task.results.filter(status=ResultStatus.NOT_STARTED, deadline_date__lte=today + timedelta(days=15)) \
                .update(status=ResultStatus.IN_PROGRESS)
            counts["tasks"] += 1
    return counts
