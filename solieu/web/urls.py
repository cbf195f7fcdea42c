from django.contrib.auth import views as auth_views
from django.urls import path

from . import dashboard_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("bang-dieu-khien/", dashboard_views.dashboard, name="dashboard"),
    path("danh-muc/bieu-mau/<str:code>/", views.form_detail, name="form-detail"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("suc-khoe/", views.health, name="health"),
]
