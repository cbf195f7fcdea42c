from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("dang-nhap/", views.sign_in, name="login"),
    path("dang-nhap/xac-thuc/", views.totp_verify, name="totp-verify"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/bao-mat/", views.security, name="account-security"),
    path("tai-khoan/xac-thuc-hai-buoc/bat/", views.totp_enrol, name="totp-enrol"),
    path("tai-khoan/xac-thuc-hai-buoc/tat/", views.totp_disable, name="totp-disable"),
]
