"""Login success and failure are audited (foundation issue §6)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from . import log


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", "")}


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    with transaction.atomic():
        log.record("auth.login", actor=user, obj=user, details=_client(request))


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is kept; the password never is.
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        log.record("auth.login_failed", object_type="orgs.person", object_repr=username,
                   details={**_client(request), "username": username})
