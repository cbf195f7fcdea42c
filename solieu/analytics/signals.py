"""Catalog changes that the kind totals depend on (sums.py).

A unit's lifetime decides which of its months count: the change is tracked like a change of
figures (what the unit gave before, what it gives after). A unit moved to another kind, or an
indicator whose time rule changed, drops the totals concerned; they are rebuilt when next asked."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from solieu.catalog.models import Indicator, ReportingUnit

from . import sums


def _old(sender, instance, fields):
    if instance.pk is None:
        return None
    return sender.objects.filter(pk=instance.pk).values(*fields).first()


@receiver(pre_save, sender=ReportingUnit)
def unit_rules_changing(sender, instance, raw=False, **kwargs):
    old = None if raw else _old(sender, instance, ("kind", "valid_from", "valid_to"))
    if old is None:
        return
    if old["kind"] != instance.kind:
        sums.drop(kinds={old["kind"], instance.kind})
    elif (old["valid_from"], old["valid_to"]) != (instance.valid_from, instance.valid_to):
        tracker = sums.Tracker()
        tracker.touch_unit(instance)
        instance._totals_tracker = tracker


@receiver(post_save, sender=ReportingUnit)
def unit_rules_changed(sender, instance, **kwargs):
    tracker = instance.__dict__.pop("_totals_tracker", None)
    if tracker is not None:
        tracker.settle()


@receiver(pre_save, sender=Indicator)
def indicator_rules_changed(sender, instance, raw=False, **kwargs):
    old = None if raw else _old(sender, instance, ("time_aggregation",))
    if old is not None and old["time_aggregation"] != instance.time_aggregation:
        sums.drop(indicator_ids=[instance.pk])
