from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("tong-hop/", views.builder, name="builder"),
    path("tong-hop/tao/<str:fmt>/", views.generate, name="generate"),
    path("tong-hop/tep/<int:file_id>/", views.file_status, name="file"),
    path("tong-hop/tep/<int:file_id>/tai-ve/", views.file_download, name="file-download"),
    path("tong-hop/so-lieu/", views.figure, name="figure"),
    path("tong-hop/noi-dung/", views.narratives, name="narratives"),
]
