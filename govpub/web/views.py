from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render

from govpub.channels.policy import visible_channels
from govpub.orgs import policy
from govpub.orgs.models import RoleAssignment
from govpub.web.accounts import LAST_LOGIN_USERNAME_KEY, LoginForm, captcha_required
from govpub.web.context import request_duties


class LoginView(auth_views.LoginView):
    """Sign-in; after GOVPUB_CAPTCHA_AFTER_FAILURES failures of an account, also an image captcha."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            username = self.request.POST.get("username", "")
        else:
            # The browser that just failed sees the captcha straight away, also after reloading for a new image.
            username = self.request.session.get(LAST_LOGIN_USERNAME_KEY, "")
        kwargs["captcha"] = captcha_required(self.request, username[:150])
        return kwargs

    def form_invalid(self, form):
        username = str(form.data.get("username", ""))[:150]
        if username:
            self.request.session[LAST_LOGIN_USERNAME_KEY] = username
            if captcha_required(self.request, username):
                form.add_captcha()
        return super().form_invalid(form)

    def form_valid(self, form):
        self.request.session.pop(LAST_LOGIN_USERNAME_KEY, None)
        return super().form_valid(form)


def home(request):
    from govpub.notifications.policy import unread_for
    from govpub.supervision.desk import desk
    from govpub.supervision.policy import can_view_desk

    user = request.user
    roles = RoleAssignment.objects.active().filter(person=user).select_related("unit").order_by("unit__name")
    units = {r.unit for r in roles}
    return render(request, "web/home.html", {
        "roles": roles,
        "blocked_units": [(u, u.publish_block_reason()) for u in units if u.publish_block_reason()],
        "channel_count": visible_channels(user).count(),
        "unit_count": policy.visible_units(user).count(),
        "todo": request_duties(request),
        "notifications": unread_for(user)[:20],
        "desk": desk() if can_view_desk(user) else None,
    })


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限访问此页面。"
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # A path under the API that no endpoint matches (e.g. /api/v1/items/-1): the API's JSON error body.
        return JsonResponse({"detail": "对象不存在，或您无权查看。"}, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "404.html", status=404)
