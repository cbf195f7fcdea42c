from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from solieu.catalog import periods
from solieu.catalog.models import Form, Indicator, Province, ReportingUnit, Sector
from solieu.collection.models import DataValue


@login_required
def home(request):
    today = timezone.localdate()
    forms = []
    for form in Form.objects.filter(active=True).select_related("sector").prefetch_related("deadlines"):
        pid = periods.PeriodId.containing(periods.PeriodType(form.period_type), today)
        deadline = next((d for d in form.deadlines.all() if d.tier == "reporter"), None)
        forms.append({
            "form": form,
            "period": pid,
            "deadline": deadline.date_for(pid) if deadline else None,
            "units": form.assignments.valid_on(today).filter(unit__in=ReportingUnit.objects.valid_on(today)).count(),
        })
    context = {
        "sectors": Sector.objects.all(),
        "counts": {
            "indicators": Indicator.objects.count(),
            "forms": len(forms),
            "units": ReportingUnit.objects.current().count(),
            "provinces": Province.objects.current().count(),
            "values": DataValue.objects.current().count(),
        },
        "forms": forms,
        "today": today,
    }
    return render(request, "web/home.html", context)


@login_required
def form_detail(request, code):
    form = Form.objects.filter(code=code).order_by("-version").first() or get_object_or_404(Form, code=code)
    rows = form.rows.select_related("indicator", "disaggregation").prefetch_related("disaggregation__options")
    return render(request, "web/form_detail.html", {"form": form, "rows": rows,
                                                    "deadlines": form.deadlines.all()})


def health(request):
    """For the reverse proxy and monitoring: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
