"""Dates on the pages in the one style Doudi writes everywhere (docs/web.md): 2018-03-10.

Django's own formats for 简体中文 render a date as 2018年3月10日 and for English as
March 10, 2018, while explanations, exports (yyyy-mm-dd) and the command line print
2018-03-10: a person page showed both styles side by side (issue #23 §1). These
modules (settings.FORMAT_MODULE_PATH) give both languages the same style.
"""

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "MONTH_DAY_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "YEAR_MONTH_FORMAT",
]

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"
