"""The permission matrix: for every URL name and every API operation, the outcome each subject must get.

Subjects: the anonymous visitor, and each role (editor 经办人, office_head 承办机构负责人, deputy 分管负责人,
principal 主要负责人, supervisor 监管人员 of the 政务公开办, admin 系统管理员) acting on an object of its OWN unit
and on one of ANOTHER unit (see permission_matrix_world.py for the units and objects).

Outcomes:
  ALLOW     2xx, or 3xx not to the login/second-factor/re-authentication pages, or a 4xx that is not
            401/403/404/405 (a validation error: the subject got past every permission check)
  DENY      403: the subject may see the object (or the page) but not do this
  HIDE      404: the subject may not even see the object — the same answer as for an id that does not exist,
            so that a refusal never tells which ids exist (orgs.policy.get_visible_or_404)
  LOGIN     302 to the login page
  NOMETHOD  405 (GET on a POST-only view, and the like)
  UNAUTH    401 (the API without a token)
  TWOFACTOR 302 to the second-factor pages, REAUTH 302 to the re-authentication page (the subjects are signed
            in with both factors just now, so neither should ever appear: they would hide the view's answer)

A role's value is one outcome when own/other does not matter (unit-independent pages), or (own, other).
Requests are GET and POST with an empty body, unless an entry gives `data` (a harmless body that gets past the
form, so that the permission check behind it is what answers)."""

from __future__ import annotations

from dataclasses import dataclass

ALLOW, DENY, HIDE, LOGIN, NOMETHOD, UNAUTH = "ALLOW", "DENY", "HIDE", "LOGIN", "NOMETHOD", "UNAUTH"
TWOFACTOR, REAUTH = "TWOFACTOR", "REAUTH"
ROLES = ("editor", "office_head", "deputy", "principal", "supervisor", "admin")
SUBJECTS = ("anonymous",) + tuple(f"{role}/{where}" for role in ROLES for where in ("own", "other"))


def own_other(own, other):
    return (own, other)


def row(anonymous=LOGIN, **roles) -> dict[str, str]:
    """Expand a compact declaration into one outcome per subject; every role must be named."""
    missing = set(ROLES) - set(roles)
    assert not missing and set(roles) <= set(ROLES), f"declare every role, missing {sorted(missing)}"
    out = {"anonymous": anonymous}
    for role, value in roles.items():
        own, other = value if isinstance(value, tuple) else (value, value)
        out[f"{role}/own"], out[f"{role}/other"] = own, other
    return out


def everyone(outcome, anonymous=LOGIN):
    return row(anonymous, **{role: outcome for role in ROLES})


def only(*allowed, outcome=ALLOW, others=DENY, anonymous=LOGIN):
    """Unit-independent: the named roles get `outcome`, the rest `others`."""
    return row(anonymous, **{role: outcome if role in allowed else others for role in ROLES})


UNIT_ROLES = ("editor", "office_head", "deputy", "principal")
SCOPED = own_other(ALLOW, DENY)
SCOPED_HIDDEN = own_other(ALLOW, HIDE)


def unit_scoped(*, supervisor=ALLOW, admin=ALLOW, other=HIDE, **roles):
    """An object of a unit: its own people get ALLOW, or the value given for their role (DENY: they see it but
    may not do this); other units' people do not see it, so get `other` (HIDE). A (own, other) pair for a role
    is taken as it is; the supervisor's and the admin's value holds for every unit."""
    values = {}
    for role in UNIT_ROLES:
        value = roles.get(role, ALLOW)
        values[role] = value if isinstance(value, tuple) else own_other(value, other)
    return row(supervisor=supervisor, admin=admin, **values)


PUBLIC = everyone(ALLOW, anonymous=ALLOW)
LOGGED_IN = everyone(ALLOW)
POST_ONLY = everyone(NOMETHOD)  # GET of a require_POST view: the login check comes first, then 405
GET_ONLY_PUBLIC = everyone(NOMETHOD, anonymous=NOMETHOD)
ADMIN_ONLY = only("admin")
SUPERVISOR_ONLY = only("supervisor")
OVERSIGHT = only("supervisor", "admin")  # the 政务公开办 and the admins see every unit
NOT_FOR_UNITS = {role: DENY for role in UNIT_ROLES}
# A unit's object only some may act on: the unit's people see it (403), other units' people do not (404).
UNIT_ADMIN_ONLY = unit_scoped(supervisor=DENY, **NOT_FOR_UNITS)
UNIT_OVERSIGHT = unit_scoped(**NOT_FOR_UNITS)
UNIT_SUPERVISOR_ONLY = unit_scoped(admin=DENY, **NOT_FOR_UNITS)
# Content is visible to its unit's people and the supervisors only. Admins see no content they have no role
# for (DESIGN.md §1): the demo admin's admin role in unit A is not a content role (orgs.policy.content_unit_ids).
CONTENT = unit_scoped(admin=HIDE)
EDITOR_ONLY = unit_scoped(admin=HIDE, supervisor=DENY, office_head=DENY, deputy=DENY, principal=DENY)
SAME = "same as GET"


@dataclass
class Entry:
    obj: str | None  # the object the URL kwargs come from (test_permission_matrix._kwargs); None: no kwargs
    get: dict
    post: dict | str = SAME
    data: dict | None = None  # POST body; None: empty
    multipart: bool = False  # an API operation taking a form (file uploads): the body is sent as multipart, not JSON
    query: str = ""
    why: str = ""


# A complete DecisionForm body, so the decision's own checks answer (the item is a draft: no step waits).
CHECKLIST_KEYS = ("secrets", "law_and_policy", "political", "language", "harm", "local_benefit", "sensitive",
                  "truthful", "public_opinion", "other")
DECISION = {"revision_hash": "0" * 64, "decision": "approve", "confidentiality": "yes", "proofread": "yes",
            "comment": "矩阵", **{f"c_{key}": "yes" for key in CHECKLIST_KEYS}}

URLS: dict[str, Entry] = {
    # --- the public website, health checks and login --------------------------------------------------------
    "public_home": Entry(None, PUBLIC, GET_ONLY_PUBLIC),
    "public_article": Entry("published_item", PUBLIC, GET_ONLY_PUBLIC),
    "public_attachment": Entry("public_attachment", PUBLIC, GET_ONLY_PUBLIC),
    "public_file": Entry("public_file", PUBLIC, GET_ONLY_PUBLIC),
    "public_column": Entry("column_slug", PUBLIC, GET_ONLY_PUBLIC),
    "public_column_feed": Entry("column_slug", PUBLIC),
    "public_site_feed": Entry(None, PUBLIC),
    "public_favicon": Entry(None, PUBLIC, GET_ONLY_PUBLIC),
    "public_site_image": Entry("site_image", everyone(HIDE, anonymous=HIDE), GET_ONLY_PUBLIC,
                               why="the matrix's world stores no picture: an unknown digest is a 404 for everyone"),
    "public_directory": Entry(None, PUBLIC, GET_ONLY_PUBLIC),
    "public_search": Entry(None, PUBLIC, GET_ONLY_PUBLIC),
    "public_display": Entry(None, PUBLIC, GET_ONLY_PUBLIC),
    "public_sitemap": Entry(None, PUBLIC, GET_ONLY_PUBLIC),
    "public_sitemap_section": Entry("sitemap_section", PUBLIC, GET_ONLY_PUBLIC),
    "healthz": Entry(None, PUBLIC),
    "readyz": Entry(None, PUBLIC),
    # The login form's image; an unknown key is a 410.
    "captcha-image": Entry("captcha", PUBLIC),
    # A signed-in person is sent on to their home page; an empty POST is a form error.
    "login": Entry(None, PUBLIC),
    "logout": Entry(None, POST_ONLY, everyone(LOGIN), why="logging out sends everyone to the login page"),
    # The platform calls it; without the channel's callback token no signature is valid.
    "wechat_hook": Entry("wechat", everyone(DENY, anonymous=DENY)),
    # --- home, audit ----------------------------------------------------------------------------------------
    "home": Entry(None, LOGGED_IN),
    "audit_log": Entry(None, OVERSIGHT),
    "site_identity": Entry(None, ADMIN_ONLY, data={"email": "不是邮箱"},
                           why="an invalid form: the admin's POST answers the form again, writing nothing"),
    # --- units, people, roles -------------------------------------------------------------------------------
    "unit_list": Entry(None, LOGGED_IN),
    "unit_create": Entry(None, ADMIN_ONLY),
    "unit_detail": Entry("unit", unit_scoped()),
    "unit_edit": Entry("unit", UNIT_ADMIN_ONLY),
    "unit_confidentiality_review": Entry("unit", POST_ONLY, UNIT_OVERSIGHT),
    "unit_suspend": Entry("unit", UNIT_OVERSIGHT),
    "unit_lift": Entry("unit", UNIT_OVERSIGHT),
    "role_grant": Entry("unit", POST_ONLY, UNIT_ADMIN_ONLY),
    "role_revoke": Entry("role", POST_ONLY, UNIT_ADMIN_ONLY),
    "person_list": Entry(None, LOGGED_IN),
    "person_create": Entry(None, ADMIN_ONLY),
    "person_detail": Entry("person", unit_scoped()),
    "person_set_active": Entry("person", POST_ONLY, UNIT_ADMIN_ONLY),
    # --- channels -------------------------------------------------------------------------------------------
    "channel_list": Entry(None, LOGGED_IN),
    "channel_create": Entry(None, ADMIN_ONLY),
    "content_list_all": Entry(None, LOGGED_IN),
    "channel_detail": Entry("channel", unit_scoped()),
    "channel_edit": Entry("channel", UNIT_ADMIN_ONLY),
    # 暂停/关停: the supervisor and admins, or the sponsor unit's principal.
    "channel_status": Entry("channel", unit_scoped(editor=DENY, office_head=DENY, deputy=DENY)),
    # Columns and the content list: admins, and the operator unit's office head or principal.
    "column_create": Entry("channel", unit_scoped(editor=DENY, deputy=DENY, supervisor=DENY)),
    "content_list_add": Entry("channel", unit_scoped(editor=DENY, deputy=DENY, supervisor=DENY)),
    "content_list_deactivate": Entry("entry", POST_ONLY, unit_scoped(editor=DENY, deputy=DENY, supervisor=DENY)),
    "channel_credentials": Entry("channel", UNIT_ADMIN_ONLY),
    # --- items ----------------------------------------------------------------------------------------------
    "item_list": Entry(None, LOGGED_IN),
    "item_create": Entry(None, only("editor")),
    "item_detail": Entry("item", CONTENT),
    "item_slip": Entry("item", CONTENT),  # 审核签发单: whoever sees the item
    "item_slip_pdf": Entry("item", CONTENT),
    "item_preview_site": Entry("item", CONTENT),  # a revision before publishing: whoever sees the item
    "item_preview_wechat": Entry("item", CONTENT),
    "item_edit": Entry("item", EDITOR_ONLY),
    # An empty POST gets past every permission check to "请选择要上传的图片" (400).
    "item_image_upload": Entry("item", POST_ONLY, EDITOR_ONLY),
    "item_diff": Entry("item", CONTENT, query="?a=1&b=1"),
    # The item is checked for visibility first, then the action asks for the unit's editor.
    "item_check": Entry("item", POST_ONLY, EDITOR_ONLY),
    "item_submit": Entry("item", POST_ONLY, EDITOR_ONLY),
    # The unit's reviewers get past the role check (and are refused: no step waits on a draft); the supervisor
    # sees the item but reviews nothing.
    "item_decide": Entry("item", POST_ONLY, unit_scoped(supervisor=DENY, admin=HIDE), data=DECISION),
    # 审核批注: as deciding (the matrix item is a draft: no step waits, so the unit's people are refused).
    "item_annotate": Entry("item", POST_ONLY, unit_scoped(supervisor=DENY, admin=HIDE),
                           data={"quote": "矩阵", "comment": "矩阵批注"}),
    "item_publish": Entry("item", POST_ONLY, EDITOR_ONLY, data={"revision_hash": "0" * 64, "mode": "now", "confirmed": "1"}),
    "item_cancel_schedule": Entry("item", POST_ONLY, EDITOR_ONLY),
    # The unit's people and the supervisor (第十二条 remedy) may withdraw; the draft is not live, so it is refused.
    "item_withdraw": Entry("item", POST_ONLY, unit_scoped(admin=HIDE), data={"reason": "矩阵测试撤稿"}),
    "finding_apply": Entry("finding", POST_ONLY, EDITOR_ONLY),
    "findings_apply": Entry("item", POST_ONLY, EDITOR_ONLY),
    "finding_dismiss": Entry("finding", POST_ONLY, EDITOR_ONLY),
    "attachment_download": Entry("attachment", CONTENT),
    # The editor's paste clean-up and 一键排版 transform the HTML sent and store nothing: whoever writes items in
    # some unit may (an empty body is the editor's 400, past the permission check).
    "editor_clean": Entry(None, POST_ONLY, only("editor")),
    "editor_typeset": Entry(None, POST_ONLY, only("editor")),
    # Own: a notification to the subject itself; other: one to a person of unit B.
    "notification_read": Entry("notification", POST_ONLY, row(**{r: SCOPED for r in ROLES})),
    "notification_read_all": Entry(None, POST_ONLY, LOGGED_IN),
    # --- the person's own account: password, re-authentication, second factor ---------------------------------
    "account_password": Entry(None, LOGGED_IN),
    "account_reauth": Entry(None, LOGGED_IN),
    "account_security": Entry(None, LOGGED_IN),
    # Signed in with both factors already: both pages send the person on.
    "two_factor_setup": Entry(None, LOGGED_IN),
    "two_factor_verify": Entry(None, LOGGED_IN),
    # New recovery codes need a bound authenticator: every role but the editor is required to have one.
    "two_factor_recovery_regenerate": Entry(None, POST_ONLY, only("office_head", "deputy", "principal",
                                                                   "supervisor", "admin")),
    # An admin resets someone else's second factor (own: a colleague in the admin's unit; other: unit B's).
    "two_factor_reset": Entry("person", POST_ONLY, UNIT_ADMIN_ONLY),
    # --- review, publishing ---------------------------------------------------------------------------------
    "review_queue": Entry(None, LOGGED_IN),
    "publishing_list": Entry(None, LOGGED_IN),
    "manual_tasks": Entry(None, LOGGED_IN),
    # Own: the unit's 抖音 publication waiting to be posted by hand; only the operator unit's editors record it.
    "manual_post": Entry("publication", POST_ONLY, EDITOR_ONLY,
                         data={"url": "https://www.douyin.com/video/1"}),
    "manual_withdrawn": Entry("publication", POST_ONLY, EDITOR_ONLY),
    "publication_resend": Entry("publication", POST_ONLY, EDITOR_ONLY),
    # --- lexicons -------------------------------------------------------------------------------------------
    "lexicon_list": Entry(None, OVERSIGHT),
    "lexicon_add": Entry(None, POST_ONLY, ADMIN_ONLY),
    "lexicon_import": Entry(None, POST_ONLY, ADMIN_ONLY),
    "lexicon_deactivate": Entry("lexicon_entry", POST_ONLY, ADMIN_ONLY),
    # --- supervision: tickets -------------------------------------------------------------------------------
    "ticket_list": Entry(None, LOGGED_IN),
    "ticket_create": Entry(None, SUPERVISOR_ONLY),
    "ticket_detail": Entry("ticket", unit_scoped()),
    "ticket_letter": Entry("ticket", unit_scoped()),
    "ticket_event_file": Entry("event", unit_scoped()),
    # The responsible unit's people sign and report; the supervisor and admins only look.
    "ticket_accept": Entry("ticket", POST_ONLY, unit_scoped(supervisor=DENY, admin=DENY)),
    "ticket_report": Entry("ticket", unit_scoped(supervisor=DENY, admin=DENY)),
    "ticket_verify": Entry("ticket", UNIT_SUPERVISOR_ONLY),
    "ticket_send_back": Entry("ticket", UNIT_SUPERVISOR_ONLY),
    "ticket_order": Entry("ticket", UNIT_SUPERVISOR_ONLY),
    "ticket_shutdown": Entry("ticket", UNIT_SUPERVISOR_ONLY),
    # --- supervision: monitoring, indicators, scores, inspections, bulletin, assessment, incidents -----------
    "monitor_list": Entry(None, OVERSIGHT),
    "monitor_start": Entry(None, POST_ONLY, SUPERVISOR_ONLY),
    "supervision_desk": Entry(None, SUPERVISOR_ONLY),
    # 临时检查网站: a bad address answers with the form again (200), nothing started.
    "monitor_scan": Entry(None, SUPERVISOR_ONLY, data={"url": "ftp://矩阵"}),
    "monitor_scan_result": Entry("scan_job", OVERSIGHT),
    "indicator_detail": Entry(None, OVERSIGHT),
    "indicator_version": Entry("indicator_number", OVERSIGHT),
    "indicator_edit": Entry(None, SUPERVISOR_ONLY),
    "score_list": Entry(None, LOGGED_IN, SUPERVISOR_ONLY, why="anyone lists the scores they may see; "
                                                              "only the supervisor computes them"),
    "score_detail": Entry("score", unit_scoped(other=HIDE)),
    "inspection_list": Entry(None, OVERSIGHT),
    "inspection_create": Entry(None, SUPERVISOR_ONLY),
    "inspection_detail": Entry("inspection", OVERSIGHT),
    "inspection_sample": Entry("inspection", POST_ONLY, SUPERVISOR_ONLY),
    "sample_review": Entry("sample", SUPERVISOR_ONLY),
    "bulletin": Entry(None, OVERSIGHT),
    "assessment": Entry(None, OVERSIGHT, SUPERVISOR_ONLY),
    "incident_list": Entry(None, LOGGED_IN),
    "incident_create": Entry(None, SUPERVISOR_ONLY),
    "incident_detail": Entry("incident", unit_scoped(other=HIDE),
                             unit_scoped(other=HIDE, admin=DENY, **{r: own_other(DENY, HIDE) for r in UNIT_ROLES})),
}

# The API's operation URL patterns; what each does is declared per operation in API_OPERATIONS below.
API_URL_NAMES = {f"api:{name}" for name in ("channels", "check", "create_item", "get_item", "update_item", "todo",
                                              "submit", "publish", "withdraw", "decide", "dismiss_finding",
                                              "notification_list", "notification_mark_read", "notification_mark_all_read",
                                              "desk_queues", "start_monitoring", "uptime_table", "start_site_scan", "site_scan", "slip_pdf", "annotate", "annotations", "preview", "apply_suggestions",
                                              "upload_file", "import_item", "import_into_item",
                                              "clean_pasted_html", "typeset_body")}
URLS.update({
    "api:api-root": Entry(None, everyone(HIDE, anonymous=HIDE), why="/api/v1/ itself serves nothing"),
    "api:openapi-json": Entry(None, PUBLIC, why="django-ninja serves the schema to any method"),
})

# The API authenticates by token (401 without one). Reading or acting on an item (or a unit) the caller may not
# see is a 404, as for an id that does not exist; a 403 is for what the caller sees but may not do.
API_EDITOR = row(anonymous=UNAUTH, editor=SCOPED_HIDDEN, office_head=(DENY, HIDE), deputy=(DENY, HIDE),
                 principal=(DENY, HIDE), supervisor=DENY, admin=HIDE)
API_OPERATIONS: dict[str, Entry] = {
    "GET /api/v1/supervision/desk": Entry(None, row(anonymous=UNAUTH, supervisor=ALLOW,
                                                    **{r: DENY for r in ROLES if r != "supervisor"})),
    # The monitoring page's readers: the 政务公开办 and the administrator.
    "GET /api/v1/supervision/uptime": Entry(None, row(anonymous=UNAUTH, supervisor=ALLOW, admin=ALLOW,
                                                      **{r: DENY for r in ROLES if r not in ("supervisor", "admin")})),
    "POST /api/v1/supervision/scans": Entry(None, row(anonymous=UNAUTH, supervisor=ALLOW,
                                                      **{r: DENY for r in ROLES if r != "supervisor"}),
                                            data={"url": "ftp://矩阵"}),
    "GET /api/v1/supervision/scans/{job_id}": Entry(None, row(
        anonymous=UNAUTH, supervisor=ALLOW, admin=ALLOW, **{r: DENY for r in ROLES if r not in ("supervisor", "admin")})),
    # An unknown job: the supervisor gets the validation error (400), past every permission check, no job started.
    "POST /api/v1/supervision/monitoring": Entry(None, row(anonymous=UNAUTH, supervisor=ALLOW,
                                                           **{r: DENY for r in ROLES if r != "supervisor"}),
                                                 data={"what": "矩阵"}),
    "GET /api/v1/channels": Entry(None, everyone(ALLOW, anonymous=UNAUTH)),
    "GET /api/v1/todo": Entry(None, everyone(ALLOW, anonymous=UNAUTH)),
    "POST /api/v1/check": Entry(None, everyone(ALLOW, anonymous=UNAUTH), data={"text": "矩阵测试文本"}),
    "POST /api/v1/editor/clean": Entry(None, only("editor", anonymous=UNAUTH), data={"html": "<p>矩阵</p>"}),
    "POST /api/v1/editor/typeset": Entry(None, only("editor", anonymous=UNAUTH), data={"html": "<p>矩阵</p>"}),
    "GET /api/v1/notifications": Entry(None, everyone(ALLOW, anonymous=UNAUTH)),
    "POST /api/v1/notifications/read-all": Entry(None, everyone(ALLOW, anonymous=UNAUTH)),
    # Own: a notification to the subject itself; other: one to a person of unit B (403, as on the home page).
    "POST /api/v1/notifications/{notification_id}/read": Entry(None, row(anonymous=UNAUTH,
                                                                       **{r: SCOPED for r in ROLES})),
    "POST /api/v1/items": Entry("unit", row(anonymous=UNAUTH, editor=SCOPED_HIDDEN, office_head=(DENY, HIDE),
                                            deputy=(DENY, HIDE), principal=(DENY, HIDE), supervisor=DENY, admin=DENY),
                                data={"unit": "{unit}", "title": "矩阵", "body_html": "<p>矩阵测试</p>",
                                      "targets": []}),
    # No file in the body: who may import gets the missing file's 400, past every permission check.
    "POST /api/v1/items/import": Entry("unit", row(anonymous=UNAUTH, editor=SCOPED_HIDDEN, office_head=(DENY, HIDE),
                                                   deputy=(DENY, HIDE), principal=(DENY, HIDE), supervisor=DENY,
                                                   admin=DENY),
                                       data={"unit": "{unit}"}, multipart=True),
    "POST /api/v1/items/{item_id}/import": Entry("item", API_EDITOR, multipart=True),
    "GET /api/v1/items/{item_id}": Entry("item", row(anonymous=UNAUTH, supervisor=ALLOW, admin=HIDE,
                                                     **{r: SCOPED_HIDDEN for r in UNIT_ROLES})),
    "GET /api/v1/items/{item_id}/preview": Entry("item", row(anonymous=UNAUTH, supervisor=ALLOW, admin=HIDE,
                                                             **{r: SCOPED_HIDDEN for r in UNIT_ROLES})),
    "GET /api/v1/items/{item_id}/slip.pdf": Entry("item", row(anonymous=UNAUTH, supervisor=ALLOW, admin=HIDE,
                                                              **{r: SCOPED_HIDDEN for r in UNIT_ROLES})),
    "PATCH /api/v1/items/{item_id}": Entry("item", API_EDITOR, data={"title": "矩阵改标题"}),
    "POST /api/v1/items/{item_id}/submit": Entry("item", API_EDITOR),
    # No finding of the matrix item is chosen: the editor gets past every check to the validation error (400).
    "POST /api/v1/items/{item_id}/findings/apply": Entry("item", API_EDITOR, data={"finding_ids": [0]}),
    # No file: past every permission check, the editor gets "请在 file 字段上传文件" (400).
    "POST /api/v1/items/{item_id}/files": Entry("item", API_EDITOR),
    "POST /api/v1/items/{item_id}/findings/{finding_id}/dismiss": Entry("finding", API_EDITOR,
                                                                        data={"reason": "矩阵测试理由"}),
    "POST /api/v1/items/{item_id}/decisions": Entry("item", row(
        anonymous=UNAUTH, supervisor=DENY, admin=HIDE, **{r: SCOPED_HIDDEN for r in UNIT_ROLES}),
        data={"revision_hash": "0" * 64, "decision": "approve", "confidentiality_ok": True,
                           "proofread_ok": True, "checklist": {k: True for k in CHECKLIST_KEYS}}),
    "POST /api/v1/items/{item_id}/publish": Entry("item", API_EDITOR, data={"revision_hash": "0" * 64}),
    "POST /api/v1/items/{item_id}/annotations": Entry("item", row(
        anonymous=UNAUTH, supervisor=DENY, admin=HIDE, **{r: SCOPED_HIDDEN for r in UNIT_ROLES}),
        data={"quote": "矩阵", "comment": "矩阵批注"}),
    "GET /api/v1/items/{item_id}/annotations": Entry("item", row(anonymous=UNAUTH, supervisor=ALLOW, admin=HIDE,
                                                                 **{r: SCOPED_HIDDEN for r in UNIT_ROLES})),
    "POST /api/v1/items/{item_id}/withdraw": Entry("item", row(
        anonymous=UNAUTH, supervisor=ALLOW, admin=HIDE, **{r: SCOPED_HIDDEN for r in UNIT_ROLES}),
        data={"reason": "矩阵测试撤稿"}),
}
