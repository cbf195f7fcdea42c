"""Sums kept current on approval, so that a national figure does not re-read 100.000 units.

The live engine (aggregate.py) stays the definition; these tables hold what it would compute
for one kind of unit and one period, and sums.py keeps them equal to it (decision 19)."""

from django.db import models

from solieu.catalog.models import Indicator, Period


class BuiltTotal(models.Model):
    """The kind totals of a (kind of unit, period) exist and are kept current from now on.

    Built the first time a national figure asks for them; dropped when the catalog changes a
    rule they depend on (a unit's kind or lifetime, an indicator's time rule)."""

    kind = models.CharField(max_length=30)
    period = models.ForeignKey(Period, models.CASCADE, related_name="+")
    built_at = models.DateTimeField(auto_now_add=True)
    units = models.PositiveIntegerField(default=0)   # units read when it was built, for the admin

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "period"], name="uniq_built_total")]
        indexes = [models.Index(fields=["kind", "period"])]


class KindTotal(models.Model):
    """Σ over the units of one kind of each unit's consolidated value of an indicator for a
    period, by the rules of aggregate.py; with_submitted: counting reports sent, not yet approved.

    `units`, `values`, `estimates` and `unapproved` count units (values: data values) so that a
    change can be subtracted as exactly as it was added."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    period = models.ForeignKey(Period, models.CASCADE, related_name="+")
    with_submitted = models.BooleanField()
    total = models.DecimalField(max_digits=34, decimal_places=6)
    units = models.IntegerField()
    values = models.IntegerField()
    estimates = models.IntegerField()
    unapproved = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "kind", "period", "with_submitted"],
                                               name="uniq_kind_total")]
        indexes = [models.Index(fields=["kind", "period", "with_submitted"])]
