"""Sending notifications: in-app rows in the caller's transaction, e-mail only once it has committed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from govpub.ops.text import one_line

from .models import Notification

logger = logging.getLogger(__name__)


def link_of(subject) -> str:
    """The page a notification about `subject` opens: its get_absolute_url(), or none."""
    return subject.get_absolute_url() if subject is not None and hasattr(subject, "get_absolute_url") else ""


def notify(recipients, subject, verb: str, message: str) -> None:
    """Tell each active recipient (once) about `subject` (anything with get_absolute_url(), or None)."""
    people = {p.pk: p for p in recipients if p is not None and p.is_active}
    link = link_of(subject)
    Notification.objects.bulk_create(
        [Notification(recipient=p, link=link, verb=verb, message=message[:300]) for p in people.values()])
    emails = [p.email for p in people.values() if p.email]
    if emails:
        subject_line = f"【政务信息审核发布】{one_line(message)[:60]}"  # a header is one line
        # The mail says where the duty is done: the same page the in-app notification opens.
        body = message + (f"\n\n办理：{settings.GOVPUB_STAFF_BASE_URL.rstrip('/')}{link}" if link else "")

        def send():
            try:
                send_mail(subject_line, body, None, emails, fail_silently=False)
            except Exception:  # mail trouble must never undo or block the workflow
                logger.exception("notification e-mail failed (verb=%s link=%s)", verb, link)

        transaction.on_commit(send)
