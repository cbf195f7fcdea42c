"""Pages of data entry, workflow and completeness."""

from django.urls import path

from . import views

app_name = "collection"

ENTRY = "bao-cao/<str:form_code>/<str:unit_code>/<str:period_code>/"

urlpatterns = [
    path("cong-viec/", views.my_work, name="work"),
    path(ENTRY, views.entry_grid, name="entry"),
    path(ENTRY + "o-so-lieu/", views.save_cell, name="cell"),
    path(ENTRY + "gui/", views.submit, name="submit"),
    path(ENTRY + "phe-duyet/", views.approve, name="approve"),
    path(ENTRY + "tra-lai/", views.return_, name="return"),
    path(ENTRY + "mo-lai/", views.reopen, name="reopen"),
    path("tinh-hinh-bao-cao/<str:form_code>/", views.completeness, name="completeness"),
    path("bao-cao-dot-xuat/", views.adhoc_list, name="adhoc-list"),
    path("bao-cao-dot-xuat/moi/", views.adhoc_new, name="adhoc-new"),
]
