"""French: 29/11/2026, 29/11/2026 14:30, 38,6."""

DATE_FORMAT = "d/m/Y"  # 29/11/2026, not "29 novembre 2026": the same everywhere
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-29: what <input type="date"> sends and expects
    "%d/%m/%Y",  # 29/11/2026
    "%d/%m/%y",  # 29/11/26
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
