"""Every URL is declared here with its access class, and anonymous access is checked for each one.
A new view without an entry fails this test: decide who may reach it before it ships."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

PUBLIC = {"public_home", "public_article", "public_attachment", "public_file", "public_column", "public_column_feed", "public_site_feed", "public_favicon", "public_site_image",
          "public_directory", "public_display", "public_search", "public_sitemap", "public_sitemap_section",
          "healthz", "readyz", "login", "captcha-image"}
API = {"api-root", "openapi-json", "channels", "check", "create_item", "get_item", "update_item", "todo", "submit",
       "publish", "withdraw", "decide", "dismiss_finding", "notification_list", "notification_mark_read",
       "notification_mark_all_read", "desk_queues", "start_monitoring", "uptime_table", "start_site_scan", "site_scan", "slip_pdf", "annotate", "annotations", "preview", "apply_suggestions",
       "upload_file", "import_item", "import_into_item",
       "clean_pasted_html", "typeset_body"}
API_OPEN = {"openapi-json"}  # the schema is public; everything else needs a token
HOOKS = {"wechat_hook"}  # the platform calls it; it checks the platform's signature instead of a login
STAFF = {
    "account_security", "two_factor_setup", "two_factor_verify", "two_factor_recovery_regenerate", "two_factor_reset",
    "home", "logout", "account_password", "account_reauth", "audit_log", "site_identity", "unit_list", "unit_create", "unit_detail", "unit_edit", "unit_confidentiality_review",
    "unit_suspend", "unit_lift", "role_grant", "role_revoke", "person_list", "person_create", "person_detail",
    "person_set_active", "channel_list", "channel_create", "channel_detail", "channel_edit", "channel_status",
    "channel_credentials", "column_create", "content_list_add", "content_list_all", "content_list_deactivate",
    "item_list", "item_create", "item_detail", "item_edit", "item_image_upload", "item_diff", "item_check", "item_submit", "item_decide", "item_annotate",
    "item_publish", "item_cancel_schedule", "item_withdraw", "item_slip", "item_slip_pdf", "item_preview_site", "item_preview_wechat", "finding_apply", "findings_apply", "finding_dismiss",
    "attachment_download", "editor_clean", "editor_typeset", "notification_read", "notification_read_all", "review_queue", "publishing_list",
    "manual_tasks", "manual_post", "manual_withdrawn", "publication_resend", "lexicon_list", "lexicon_add",
    "lexicon_import", "lexicon_deactivate", "ticket_list", "ticket_create", "ticket_detail", "ticket_accept",
    "ticket_report", "ticket_verify", "ticket_send_back", "ticket_order", "ticket_shutdown", "ticket_letter",
    "ticket_event_file", "monitor_list", "monitor_start", "monitor_scan", "monitor_scan_result", "supervision_desk", "indicator_detail", "indicator_edit", "indicator_version", "score_list",
    "score_detail", "inspection_list", "inspection_create", "inspection_detail", "inspection_sample", "sample_review",
    "bulletin", "assessment", "incident_list", "incident_create", "incident_detail",
}
SAMPLE = {"int": "1", "slug": "gzdt", "str": "x", "path": "x"}


def _routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def _sample_url(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


def test_every_url_has_a_declared_access_class():
    names = [name for _, name in _routes()]
    assert None not in names, "every URL needs a name"
    declared = PUBLIC | API | HOOKS | STAFF
    assert not (set(names) - declared), f"undeclared URLs: {sorted(set(names) - declared)}"
    assert not (declared - set(names)), f"declared but gone: {sorted(declared - set(names))}"
    assert len(declared) == len(PUBLIC) + len(API) + len(HOOKS) + len(STAFF), "a URL is in two classes"


@pytest.mark.django_db
def test_anonymous_access_matches_the_declaration():
    client = Client()
    for route, name in _routes():
        url = _sample_url(route)
        statuses = []
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            to_login = response.status_code == 302 and response.url.startswith("/accounts/login/")
            statuses.append(response.status_code)
            if name in STAFF:
                assert to_login, (name, method, response.status_code)
            elif name in API - API_OPEN:
                # A token is asked for; the method the operation does not take is simply not allowed.
                assert response.status_code in (401, 405) or name == "api-root", (name, method, response.status_code)
            else:
                assert not to_login and response.status_code < 500, (name, method, response.status_code)
        if name in API - API_OPEN - {"api-root"}:
            assert 401 in statuses, (name, statuses)
