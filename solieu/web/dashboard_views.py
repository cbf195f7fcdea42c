"""The dashboard page: key figures, trends and the province ranking for a period and a scope."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from solieu.analytics.scope import BOUNDARY_LABELS
from solieu.reports.params import period_choices, read_request, scope_choices

from .dashboard import BOUNDARY_CHOICES, build_dashboard, ranking_choices

TEMPLATE = "web/dashboard.html"


@login_required
@require_GET
def dashboard(request):
    """GET ?period=2026S1&scope=VN&boundaries=current&submitted=1&rank=CODE, read like the
    report builder's query (default: the last six months ended, national for the ministry,
    the user's own province for a Sở). Computed on every request: an approval shows at once."""
    today = timezone.localdate()
    try:
        req = read_request(request.GET, request.user, today)
    except PermissionDenied as denied:
        message = str(denied) or "Bạn không được xem số liệu tổng hợp của phạm vi này."
        return render(request, TEMPLATE, {"denied": message}, status=403)
    data = build_dashboard(req.pid, req.scope, req.include_submitted, request.GET.get("rank"))
    builder = reverse("reports:builder")
    context = {
        "dash": data,
        "req": req,
        "period_groups": period_choices(today, req.pid),
        "scopes": scope_choices(request.user),
        "boundary_labels": [(code, label, BOUNDARY_LABELS[code]) for code, label in BOUNDARY_CHOICES],
        "rank_choices": ranking_choices() if req.scope.is_national else [],
        "rank_code": data.ranking.indicator.code if data.ranking else "",
        "report_url": builder + "?" + urlencode(req.params()),
        "computed_at": timezone.localtime(),
    }
    return render(request, TEMPLATE, context)
