"""Django format module for locale "vi" (used through FORMAT_MODULE_PATH).

Django's bundled vi locale has no thousand separator and no input formats,
so figures render as "1614206,5" and forms reject "05/07/2023".  These values
follow the conventions in solieu.vi: "." groups thousands, "," is decimal,
dates are day-first.  The first input format of each list is also what Django
widgets use to render initial values, so it matches solieu.vi.dates.format_date.
"""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/07/2023
    "%d/%m/%y",  # 05/07/23
    "%Y-%m-%d",  # 2023-07-05
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
