"""The unit page's list of channels, given by channels itself: orgs sits below channels and may not ask."""

from django import template
from django.db.models import Q

from govpub.channels.policy import visible_channels

register = template.Library()


@register.simple_tag
def channels_of(unit, user):
    """The channels this unit sponsors or operates that the person may see."""
    return visible_channels(user).filter(Q(sponsor_unit=unit) | Q(operator_unit=unit))
