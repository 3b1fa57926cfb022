from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govpub.ui.forms import run_action, run_form_action
from govpub.ui.paging import paginate
from govpub.ui.reauth import reauth_required

from . import actions, policy
from .forms import ConfidentialityReviewForm, GrantRoleForm, PersonForm, ReasonForm, UnitForm
from .models import Person, RoleAssignment, Unit, UnitKind


def _visible_unit(request, pk) -> Unit:
    return policy.get_visible_or_404(policy.can_view_unit, request.user, Unit, pk=pk)


def _visible_person(request, pk) -> Person:
    return policy.get_visible_or_404(policy.can_view_person, request.user, Person, pk=pk)


def unit_list(request):
    units = policy.visible_units(request.user).prefetch_related("suspensions")
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    if kind:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(Q(name__contains=query) | Q(short_name__contains=query))
    page, querystring = paginate(request, units)
    return render(request, "orgs/unit_list.html", {
        "page": page, "querystring": querystring, "kinds": UnitKind.choices, "kind": kind, "q": query,
        "can_create": policy.can_edit_units(request.user),
    })


def unit_detail(request, pk):
    unit = _visible_unit(request, pk)
    roles = unit.roles.active().select_related("person").order_by("role", "person__username")
    user = request.user
    active = unit.active_suspension
    return render(request, "orgs/unit_detail.html", {
        "unit": unit, "roles": roles, "active_suspension": active,
        "suspensions": unit.suspensions.select_related("started_by", "lifted_by"),
        "can_edit": policy.can_edit_units(user),
        "can_manage_roles": policy.can_manage_roles(user, unit),
        "can_suspend": policy.can_suspend(user, unit) and active is None,
        "can_lift": active is not None and policy.can_lift_suspension(user, active),
        "can_set_review": policy.can_set_confidentiality_review(user, unit),
        "grant_form": GrantRoleForm(unit=unit) if policy.can_manage_roles(user, unit) else None,
        "reason_form": ReasonForm(),
        "review_form": ConfidentialityReviewForm(initial={
            "established": unit.has_confidentiality_review, "note": unit.confidentiality_review_note}),
    })


def unit_create(request):
    policy.require(policy.can_edit_units(request.user))
    form = UnitForm(request.POST or None)
    unit = run_form_action(request, form, lambda data: actions.create_unit(acting_user=request.user, **data),
                           success=lambda unit: f"已创建单位“{unit.name}”。")
    if unit:
        return redirect("unit_detail", pk=unit.pk)
    return render(request, "web/form.html", {"form": form, "title": "新建单位", "back": "unit_list"})


def unit_edit(request, pk):
    unit = _visible_unit(request, pk)
    policy.require(policy.can_edit_units(request.user))
    initial = {f: getattr(unit, f) for f in ("name", "short_name", "kind", "code")}
    form = UnitForm(request.POST or None, unit=unit, initial=initial)
    if run_form_action(request, form, lambda data: actions.update_unit(unit, acting_user=request.user, **data),
                       success="单位信息已保存。"):
        return redirect("unit_detail", pk=unit.pk)
    return render(request, "web/form.html", {"form": form, "title": f"编辑单位：{unit.name}"})


def _unit_page(request, pk):
    return reverse("unit_detail", args=[pk])


@require_POST
@reauth_required(_unit_page)
def unit_confidentiality_review(request, pk):
    unit = _visible_unit(request, pk)
    policy.require(policy.can_set_confidentiality_review(request.user, unit))
    form = ConfidentialityReviewForm(request.POST)
    if form.is_valid():
        actions.set_confidentiality_review(unit, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "保密审查机制状态已更新。")
    return redirect("unit_detail", pk=unit.pk)


def _reason_action(request, pk, action, done_message, title, check=None):
    unit = _visible_unit(request, pk)
    policy.require(policy.can_suspend(request.user, unit))
    if check is not None:
        check(request.user, unit)
    form = ReasonForm(request.POST or None)
    if run_form_action(request, form, lambda data: action(unit, acting_user=request.user, reason=data["reason"]),
                       success=done_message):
        return redirect("unit_detail", pk=unit.pk)
    return render(request, "web/form.html", {"form": form, "title": f"{title}：{unit.name}"})


@reauth_required(_unit_page, form_page=True)
def unit_suspend(request, pk):
    return _reason_action(request, pk, actions.suspend_unit, "该单位已暂停信息发布。", "暂停信息发布")


def _may_lift(user, unit):
    """Only the authority that imposed the suspension in force lifts it (with none in force the form explains)."""
    suspension = unit.active_suspension
    if suspension is not None:
        policy.require(policy.can_lift_suspension(user, suspension), policy.lift_refused_message(suspension.origin))


@reauth_required(_unit_page, form_page=True)
def unit_lift(request, pk):
    return _reason_action(request, pk, actions.lift_suspension, "已解除暂停发布。", "解除暂停发布", check=_may_lift)


@require_POST
@reauth_required(lambda request, pk: reverse("unit_detail", args=[pk]))
def role_grant(request, pk):
    unit = _visible_unit(request, pk)
    policy.require(policy.can_manage_roles(request.user, unit))
    form = GrantRoleForm(request.POST, unit=unit)
    if form.is_valid():
        run_action(request, lambda: actions.grant_role(acting_user=request.user, unit=unit, **form.cleaned_data),
                   "已授予角色。")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("unit_detail", pk=unit.pk)


def _assignment_unit_page(request, pk):
    unit_id = RoleAssignment.objects.filter(pk=pk).values_list("unit_id", flat=True).first()
    return reverse("unit_detail", args=[unit_id]) if unit_id else None


@require_POST
@reauth_required(_assignment_unit_page)
def role_revoke(request, pk):
    assignment = policy.get_visible_or_404(policy.can_view_role, request.user,
                                           RoleAssignment.objects.select_related("unit"), pk=pk)
    policy.require(policy.can_manage_roles(request.user, assignment.unit))
    run_action(request, lambda: actions.revoke_role(assignment, acting_user=request.user), "已撤销角色。")
    return redirect("unit_detail", pk=assignment.unit_id)


def person_list(request):
    people = policy.visible_people(request.user).prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.active().select_related("unit"), to_attr="active_roles"))
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(Q(username__icontains=query) | Q(full_name__contains=query))
    page, querystring = paginate(request, people)
    return render(request, "orgs/person_list.html", {
        "page": page, "querystring": querystring, "q": query,
        "can_create": policy.can_manage_people(request.user)})


def person_detail(request, pk):
    person = _visible_person(request, pk)
    roles = person.roles.select_related("unit").order_by("-revoked_at", "unit__name")
    visible_unit_ids = set(policy.visible_units(request.user).values_list("pk", flat=True))
    return render(request, "orgs/person_detail.html", {
        "person": person, "roles": [r for r in roles if r.unit_id in visible_unit_ids],
        "can_manage": policy.can_manage_people(request.user)})


def person_create(request):
    policy.require(policy.can_manage_people(request.user))
    form = PersonForm(request.POST or None)
    person = run_form_action(request, form, lambda data: actions.create_person(
        acting_user=request.user, username=data["username"], full_name=data["full_name"], password=data["password1"],
        email=data["email"], phone=data["phone"], job_title=data["job_title"], must_change_password=True),
        success=lambda person: f"已创建人员“{person}”。")
    if person:
        return redirect("person_detail", pk=person.pk)
    return render(request, "web/form.html", {"form": form, "title": "新建人员"})


@require_POST
def person_set_active(request, pk):
    person = _visible_person(request, pk)
    policy.require(policy.can_manage_people(request.user))
    active = request.POST.get("active") == "1"
    actions.set_person_active(person, acting_user=request.user, active=active)
    messages.success(request, "账号已启用。" if active else "账号已停用。")
    return redirect("person_detail", pk=person.pk)
