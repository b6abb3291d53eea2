"""How dates, times and numbers read in each interface language (Django's
FORMAT_MODULE_PATH). Only what differs from Django's own locale formats is
set here; the rest (month names, input formats not listed) comes from
django.conf.locale.

- French: dd/mm/yyyy everywhere, 24-hour clock, decimal comma (38,6).
- English: British conventions (dd/mm/yyyy, 24-hour clock, decimal point),
  not Django's American "en" defaults (mm/dd/yyyy, "2:30 p.m.").

The first date input format stays ISO (yyyy-mm-dd): it is the value a
``<input type="date">`` expects; typed dd/mm/yyyy dates are still accepted.
"""
