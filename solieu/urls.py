from django.contrib import admin
from django.urls import include, path

from solieu.api.urls import api

admin.site.site_header = "solieu — Quản trị danh mục"
admin.site.site_title = "solieu"
admin.site.index_title = "Danh mục và số liệu"
handler500 = "solieu.ops.middleware.server_error"  # 503 when the database refuses

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("solieu.collection.urls")),
    path("", include("solieu.collection.excel_views")),
    path("", include("solieu.reports.urls")),
    path("", include("solieu.assignments.urls")),
    path("", include("solieu.factcheck.urls")),
    path("", include("solieu.web.urls")),
    path("", include("solieu.accounts.urls")),
]
