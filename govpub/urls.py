from django.contrib.auth import views as auth_views
from django.urls import include, path

from govpub.api.urls import api_urls
from govpub.audit.views import audit_log
from govpub.ops.health import healthz, readyz
from govpub.portal import views as portal_views
from govpub.web import views as web_views

urlpatterns = [
    path("", portal_views.home, name="public_home"),
    path("articles/<int:item_id>/", portal_views.article, name="public_article"),
    path("accounts/login/", web_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", web_views.home, name="home"),
    path("staff/audit/", audit_log, name="audit_log"),
    path("staff/", include("govpub.orgs.urls")),
    path("staff/", include("govpub.channels.urls")),
    path("staff/", include("govpub.content.urls")),
    path("staff/", include("govpub.review.urls")),
    path("staff/", include("govpub.publishing.urls")),
    path("staff/supervision/", include("govpub.supervision.urls")),
    path("api/v1/", api_urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

handler403 = "govpub.web.views.permission_denied"
handler404 = "govpub.web.views.not_found"
