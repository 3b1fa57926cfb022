"""In-app notifications plus e-mail, sent only once the change has committed."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction

from govpub.ops.text import one_line

from .models import Notification

logger = logging.getLogger(__name__)


def notify(recipients, item, verb: str, message: str) -> None:
    people = {p.pk: p for p in recipients if p is not None and p.is_active}
    Notification.objects.bulk_create(
        [Notification(recipient=p, item=item, verb=verb, message=message[:300]) for p in people.values()])
    emails = [p.email for p in people.values() if p.email]
    if emails:
        subject = f"【政务信息审核发布】{one_line(message)[:60]}"  # a header is one line

        def send():
            try:
                send_mail(subject, message, None, emails, fail_silently=False)
            except Exception:  # mail trouble must never undo or block the workflow
                logger.exception("notification e-mail failed (verb=%s item=%s)", verb, getattr(item, "pk", None))

        transaction.on_commit(send)
