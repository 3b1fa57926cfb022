"""Marking notifications read from the home page; the home page lists them (web)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from . import actions
from .models import Notification


@require_POST
def notification_read(request, pk):
    actions.mark_read(get_object_or_404(Notification, pk=pk), acting_user=request.user)
    return redirect("home")


@require_POST
def notification_read_all(request):
    actions.mark_all_read(acting_user=request.user)
    messages.success(request, "所有通知已标为已读。")
    return redirect("home")
