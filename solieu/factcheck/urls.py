from django.urls import path

from . import views

app_name = "factcheck"
urlpatterns = [
    path("kiem-tra-so-lieu/", views.index, name="index"),
    path("kiem-tra-so-lieu/van-ban/<int:doc_id>/", views.document, name="document"),
    path("kiem-tra-so-lieu/van-ban/<int:doc_id>/xac-nhan/", views.confirm_clean, name="confirm-clean"),
    path("kiem-tra-so-lieu/van-ban/<int:doc_id>/nhap/", views.import_history, name="import"),
    path("kiem-tra-so-lieu/so-lieu/<int:st_id>/", views.review, name="review"),
    path("kiem-tra-so-lieu/phat-hien/", views.findings, name="findings"),
    path("kiem-tra-so-lieu/phat-hien/tai-ve/", views.findings_download, name="findings-download"),
]
