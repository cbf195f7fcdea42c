"""Vietnamese number filters for the breakdown pages: {{ value|vi_number:indicator }}."""

from decimal import Decimal

from django import template

from solieu.reports.assemble import decimals_of, exact, percent_text

register = template.Library()


@register.filter
def vi_number(value, indicator=None):
    """As printed in the report when an indicator is given, otherwise every significant digit."""
    if value is None or value == "—":
        return "—"
    if indicator is not None and hasattr(indicator, "decimals"):
        from solieu.vi.numbers import format_number

        return format_number(Decimal(value), decimals_of(indicator))
    return exact(value)


@register.filter
def vi_percent(value):
    if value is None:
        return "—"
    sign = "-" if Decimal(value) < 0 and percent_text(Decimal(value)) != "0" else ""
    return sign + percent_text(Decimal(value))
