"""Pages of task tracking (nhiệm vụ)."""

from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("nhiem-vu/", views.overview, name="overview"),
    path("nhiem-vu/thong-ke/", views.statistics, name="statistics"),
    path("nhiem-vu/nhap-excel/", views.import_tasks, name="import"),
    path("nhiem-vu/xuat-excel/", views.export, name="export"),
    path("nhiem-vu/<int:pk>/", views.detail, name="detail"),
    path("nhiem-vu/<int:pk>/cap-nhat/", views.update, name="update"),
]
