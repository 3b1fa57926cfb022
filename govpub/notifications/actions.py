"""Marking one's own notifications read: the only change a person makes to them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import policy
from .models import Notification


@transaction.atomic(durable=True)
def mark_read(note: Notification, *, acting_user) -> Notification:
    if not policy.is_recipient(acting_user, note):
        raise PermissionDenied("这不是您的通知。")
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


@transaction.atomic(durable=True)
def mark_all_read(*, acting_user) -> int:
    """How many were unread."""
    return Notification.objects.filter(recipient=acting_user, read_at__isnull=True).update(read_at=timezone.now())
