from django import template
from django.utils.translation import gettext as _

from parcours.reporting.feedback_section import category_label

register = template.Library()


@register.filter
def feedback_category(code: str) -> str:
    """A category's name in the reader's language (the report keeps codes)."""
    return category_label(code) or _("Not classified")
