from django.urls import path

from . import dashboard_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("bang-dieu-khien/", dashboard_views.dashboard, name="dashboard"),
    path("danh-muc/bieu-mau/<str:code>/", views.form_detail, name="form-detail"),
    path("suc-khoe/", views.health, name="health"),
]
