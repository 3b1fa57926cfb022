from django import template
from django_otp.plugins.otp_totp.models import TOTPDevice

from govpub.orgs import policy as org_policy

from .. import policy

register = template.Library()


@register.inclusion_tag("twofactor/_person_panel.html", takes_context=True)
def two_factor_panel(context, person):
    """The 双因素认证 section of a person's page: status for administrators and the person, a reset button
    for administrators."""
    user = context["request"].user
    visible = org_policy.can_manage_people(user) or user.pk == person.pk
    return {
        "visible": visible,
        "person": person,
        "device": TOTPDevice.objects.filter(user=person, confirmed=True).first() if visible else None,
        "required": policy.role_requires_two_factor(person) if visible else False,
        "can_reset": policy.can_reset_two_factor(user, person),
        "is_self": user.pk == person.pk,
        "csrf_token": context.get("csrf_token"),
    }
