"""Every catalog page of the admin answers, with its search and filters, in Vietnamese."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, catalog):
    user = get_user_model().objects.create_superuser("quantri", "q@example.invalid", "mat-khau-dai-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label in ("catalog", "collection")],
                         ids=lambda m: m.__name__)
def test_changelist_search_and_change_page(staff, model):
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = staff.get(url, {"q": "bưu chính"} if model_admin.search_fields else {})
    assert response.status_code == 200
    assert model._meta.verbose_name_plural in response.text.lower() or model._meta.verbose_name in response.text
    first = model.objects.first()
    if first is not None:
        change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[first.pk])
        assert staff.get(change).status_code == 200


def test_filters_work(staff):
    response = staff.get(reverse("admin:catalog_indicator_changelist"), {"aggregation__exact": "ratio"})
    assert response.status_code == 200 and "Tỷ lệ" in response.text
