from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from govpub.api.urls import api_urls
from govpub.portal import staff_views as portal_staff_views
from govpub.web.audit_log import audit_log
from govpub.ops.health import healthz, readyz
from govpub.portal import views as portal_views
from govpub.publishing import manual_views
from govpub.web import accounts as account_views
from govpub.web import views as web_views

urlpatterns = [
    path("", portal_views.home, name="public_home"),
    path("articles/<int:item_id>/", portal_views.article, name="public_article"),
    path("articles/<int:item_id>/files/<int:attachment_id>/", portal_views.attachment, name="public_attachment"),
    re_path(r"^files/(?P<item_id>[0-9]+)/(?P<attachment_id>[0-9]+)/(?P<digest>[0-9a-f]{16})\.(?P<ext>[a-z]{3,4})$",
            portal_views.public_file, name="public_file"),
    path("columns/<slug:slug>/", portal_views.column, name="public_column"),
    path("columns/<slug:slug>/feed/", portal_views.column_feed, name="public_column_feed"),
    path("feed/", portal_views.site_feed, name="public_site_feed"),
    path("favicon.ico", portal_views.favicon, name="public_favicon"),
    path("site/<slug:field>/<slug:digest>.png", portal_views.site_image, name="public_site_image"),
    path("zfxxgk/", portal_views.directory, name="public_directory"),
    path("search/", portal_views.search, name="public_search"),
    path("display/", portal_views.display, name="public_display"),
    path("sitemap.xml", portal_views.sitemap, name="public_sitemap"),
    path("sitemap-<slug:section>.xml", portal_views.sitemap_section, name="public_sitemap_section"),
    path("accounts/login/", web_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("govpub.twofactor.urls")),
    path("accounts/password/", account_views.password_change, name="account_password"),
    path("accounts/reauth/", account_views.reauth, name="account_reauth"),
    path("captcha/", include("govpub.web.captcha_urls")),
    path("staff/", web_views.home, name="home"),
    path("staff/audit/", audit_log, name="audit_log"),
    path("staff/site/", portal_staff_views.site_identity, name="site_identity"),
    path("staff/items/<int:pk>/preview/site/", portal_staff_views.item_preview, name="item_preview_site"),
    path("staff/", include("govpub.orgs.urls")),
    path("staff/", include("govpub.lexicons.urls")),
    path("staff/", include("govpub.channels.urls")),
    path("staff/", include("govpub.content.urls")),
    path("staff/", include("govpub.notifications.urls")),
    path("staff/", include("govpub.review.urls")),
    path("staff/", include("govpub.publishing.urls")),
    path("staff/publishing/manual/", manual_views.manual_list, name="manual_tasks"),
    path("staff/publishing/manual/<int:pk>/post/", manual_views.manual_post, name="manual_post"),
    path("staff/publishing/manual/<int:pk>/withdrawn/", manual_views.manual_withdrawn, name="manual_withdrawn"),
    path("staff/publishing/deliveries/<int:pk>/resend/", manual_views.resend, name="publication_resend"),
    path("staff/channels/<int:pk>/credentials/", manual_views.channel_credentials, name="channel_credentials"),
    path("hooks/wechat/<int:channel_id>/", manual_views.wechat_hook, name="wechat_hook"),
    path("staff/supervision/", include("govpub.supervision.urls")),
    path("api/v1/", api_urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

handler403 = "govpub.web.views.permission_denied"
handler404 = "govpub.web.views.not_found"
