"""Background jobs of the analytics app."""

from django_tasks import task


@task()
def build_totals_task(kinds, period_ids):
    """Build the kind totals a national figure asked for and a request could not (sums.py)."""
    from solieu.catalog.models import Period

    from . import sums

    return sums.build_all(kinds, list(Period.objects.filter(pk__in=period_ids)))
