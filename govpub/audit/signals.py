"""Login success and failure are audited (foundation issue §6)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from govpub.ops.client import client_details

from . import log


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    with transaction.atomic():
        log.record("auth.login", actor=user, obj=user, details=client_details(request))


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is kept; the password never is.
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        log.record("auth.login_failed", object_type="orgs.person", object_repr=username,
                   details={**client_details(request), "username": username})
