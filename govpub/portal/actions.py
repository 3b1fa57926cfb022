"""State changes of the portal's own data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from govpub.audit import log as audit

from . import policy
from .identity import IMAGE_FIELDS
from .models import SiteIdentity

TEXT_FIELDS = ("site_name", "icp", "psb", "conac_url", "link_registries", "phone", "email", "address")


@transaction.atomic(durable=True)
def update_site_identity(*, acting_user, images: dict | None = None, remove=(), **fields) -> SiteIdentity:
    """Save the site's identity. images: field → cleaned PNG bytes; remove: image fields to clear."""
    refusal = policy.identity_refusal(acting_user)
    if refusal:
        raise PermissionDenied(refusal)
    row = SiteIdentity.objects.select_for_update().order_by("pk").first() or SiteIdentity()
    changed = [name for name in TEXT_FIELDS if name in fields and getattr(row, name) != fields[name]]
    for name in changed:
        setattr(row, name, fields[name])
    for name, data in (images or {}).items():
        if name in IMAGE_FIELDS and data:
            setattr(row, name, data)
            changed.append(name)
    for name in remove:
        if name in IMAGE_FIELDS and getattr(row, name):
            setattr(row, name, None)
            changed.append(name)
    row.save()
    audit.record("site.identity", actor=acting_user, obj=row,
                 details={"fields": [SiteIdentity._meta.get_field(name).verbose_name for name in changed]})
    return row
