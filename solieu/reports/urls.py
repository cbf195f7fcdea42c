from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("tong-hop/", views.builder, name="builder"),
    path("tong-hop/tai-ve/<str:fmt>/", views.download, name="download"),
    path("tong-hop/so-lieu/", views.figure, name="figure"),
    path("tong-hop/noi-dung/", views.narratives, name="narratives"),
]
