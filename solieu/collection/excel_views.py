"""Excel template download and upload."""

urlpatterns = []
