"""Pages of accountability (责任追究): incidents and the decisions on them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from govpub.ui.forms import add_form_errors
from govpub.ui.paging import paginate
from govpub.ui.reauth import reauth_required

from .. import actions, policy


def incident_list(request):
    incidents = policy.visible_incidents(request.user).select_related("unit")
    page, querystring = paginate(request, incidents)
    return render(request, "supervision/incident_list.html", {
        "page": page, "querystring": querystring, "can_record": policy.can_record_incidents(request.user)})


@reauth_required(lambda request: reverse("incident_list"), form_page=True)  # may suspend the unit
def incident_create(request):
    from ..forms import IncidentForm

    policy.require(policy.can_record_incidents(request.user), policy.INCIDENT_REFUSAL)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = actions.record_incident(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "已记录责任追究事件。")
            return redirect("incident_detail", pk=incident.pk)
    return render(request, "web/form.html", {"form": form, "title": "记录责任追究事件"})


def incident_detail(request, pk):
    from ..forms import DecisionForm

    incident = get_object_or_404(policy.visible_incidents(request.user).select_related("unit", "suspension"), pk=pk)
    can_record = policy.can_record_incidents(request.user)
    form = DecisionForm(request.POST or None, initial={"decision": incident.decision})
    if request.method == "POST":
        policy.require(can_record, policy.ACCOUNTABILITY_REFUSAL)
        if form.is_valid():
            actions.decide_accountability(incident, acting_user=request.user, decision=form.cleaned_data["decision"])
            messages.success(request, "问责决定已保存。")
            return redirect("incident_detail", pk=pk)
    return render(request, "supervision/incident_detail.html", {
        "incident": incident, "items": incident.items.select_related("current_revision"),
        "tickets": incident.tickets.all(), "people": incident.responsible.all(), "form": form,
        "can_record": can_record})
