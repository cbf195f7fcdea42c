"""Pages of data entry, workflow and completeness."""

urlpatterns = []
