"""Who may see or mark a notification: its recipient, nobody else (not even an administrator)."""


def is_recipient(user, note) -> bool:
    return note.recipient_id == getattr(user, "pk", None)


def unread_for(user):
    from .models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True)
