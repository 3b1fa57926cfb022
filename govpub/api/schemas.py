"""Request and response shapes. Every request schema forbids unknown keys, so no list of ids slips in."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, model_validator

class In(Schema):
    model_config = ConfigDict(extra="forbid")


# ---- requests ----

class SourceIn(In):
    kind: Literal["original", "reprint"] = "original"
    name: str = Field("", max_length=100)
    url: str = Field("", max_length=500, pattern=r"^(https?://\S+)?$")


class MetadataIn(In):
    """政府信息公开 metadata: 索引号, 发布机构, 成文日期, 文号, 主题分类."""
    index_no: str = Field("", max_length=60)
    issuing_org: str = Field("", max_length=100)
    written_on: Optional[dt.date] = None
    doc_no: str = Field("", max_length=60)
    topic: str = Field("", max_length=60)


class ItemCreateIn(In):
    unit: Optional[int] = Field(None, description="单位 id；只为一个单位撰稿的人员可省略")
    title: str = Field(max_length=200)
    body_html: str = Field(description="正文 HTML，最多 GOVPUB_MAX_BODY_HTML_CHARS 个字符（默认 2000000，超过：400）")
    targets: list[str] = Field(description='发布目标，如 "column:12"、"channel:3"（见 GET /channels）', max_length=50)
    major: bool = False
    major_reason: str = Field("", max_length=300)
    summary: str = Field("", max_length=500)
    source: SourceIn = Field(default_factory=SourceIn)
    metadata: Optional[MetadataIn] = None

    @model_validator(mode="after")
    def _targets_are_keys(self):
        _check_targets(self.targets)
        return self


class ItemPatchIn(In):
    base_revision: Optional[int] = Field(None, ge=1, description="本次修改所依据的版本号（GET /items/{id} 的 "
                                         "revision.number）。提供时，若稿件已有更新的版本则返回 409，不覆盖他人的修改")
    title: Optional[str] = Field(None, max_length=200)
    body_html: Optional[str] = Field(None, description="正文 HTML，最多 GOVPUB_MAX_BODY_HTML_CHARS 个字符（默认 2000000）")
    targets: Optional[list[str]] = Field(None, max_length=50)
    major: Optional[bool] = None
    major_reason: Optional[str] = Field(None, max_length=300)
    summary: Optional[str] = Field(None, max_length=500)
    source: Optional[SourceIn] = None
    metadata: Optional[MetadataIn] = None
    correction_note: Optional[str] = Field(None, max_length=500)

    @model_validator(mode="after")
    def _targets_are_keys(self):
        _check_targets(self.targets or [])
        return self


def _check_targets(targets: list[str]) -> None:
    import re

    for key in targets:
        if not re.fullmatch(r"(column|channel):[0-9]{1,12}", key):
            raise ValueError(f"无法识别的发布目标：{key}（应为 column:<id> 或 channel:<id>）")


class ApplySuggestionsIn(In):
    finding_ids: list[int] = Field(min_length=1, max_length=200, description="当前版本中带修改建议的机审问题 id")


class DismissIn(In):
    reason: str = Field(max_length=500)


class ChecklistIn(In):
    """第八条 (一)–(十): true = 该项审核通过; null or left out = 未回答 (only a return or rejection may)."""
    secrets: Optional[StrictBool] = None
    law_and_policy: Optional[StrictBool] = None
    political: Optional[StrictBool] = None
    language: Optional[StrictBool] = None
    harm: Optional[StrictBool] = None
    local_benefit: Optional[StrictBool] = None
    sensitive: Optional[StrictBool] = None
    truthful: Optional[StrictBool] = None
    public_opinion: Optional[StrictBool] = None
    other: Optional[StrictBool] = None


class DecisionIn(In):
    """approve: every checklist answer, confidentiality_ok and proofread_ok, all true. return / reject:
    only a comment (the reason); the answers given are kept."""
    revision_hash: str = Field(max_length=64, description="所审版本的内容哈希（须为当前版本）")
    decision: Literal["approve", "return", "reject"]
    checklist: Optional[ChecklistIn] = None
    confidentiality_ok: Optional[StrictBool] = None
    proofread_ok: Optional[StrictBool] = None
    comment: str = Field("", max_length=5000)
    point_notes: dict[str, str] = Field(default_factory=dict, description="审核要点 → 回答“是”的理由；机审在该项有未处理问题时必填")


class AnnotationIn(In):
    quote: str = Field(max_length=300, description="所批原文（须出现在当前版本的标题、摘要或正文中）")
    comment: str = Field(max_length=2000)


class AnnotationOut(Schema):
    id: int
    step: str
    author: str
    quote: str
    comment: str
    revision_number: int
    created_at: dt.datetime


class FileOut(Schema):
    id: int
    kind: Literal["image", "file"]
    name: str
    content_type: str
    size: int
    width: Optional[int] = Field(None, description="图片宽（像素）")
    height: Optional[int] = Field(None, description="图片高（像素）")
    url: str = Field(description="正文引用该文件的地址：图片写入 `<img src=\"…\" alt=\"…\">`，附件写入 `<a href=\"…\">`")
    revision: Optional[int] = Field(None, description="附件（kind=file）所在的新版本号；正文图片不单独生成版本（为 null），"
                                                       "引用它的正文保存时才进入新版本")


class PublishIn(In):
    revision_hash: str = Field(max_length=64)
    at: Optional[dt.datetime] = Field(None, description="定时发布时间（ISO 8601，含时区）；省略则立即发布")


class WithdrawIn(In):
    reason: str = Field(max_length=500)


class CheckIn(In):
    # the size limits are settings, checked by the endpoint (413 with a Chinese message)
    text: Optional[str] = Field(None, description="纯文本，最多 GOVPUB_MAX_CHECK_CHARS 字（默认 500000）")
    html: Optional[str] = Field(None, description="HTML，最多 GOVPUB_MAX_BODY_HTML_CHARS 个字符（默认 2000000）")
    as_of: Optional[dt.date] = Field(None, description="文本的日期（默认今天）：领导职务、会议届次等按此日期判断")

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.text is None) == (self.html is None):
            raise ValueError("请提供 text 或 html 其中之一。")
        return self


class EditorHtmlIn(In):
    html: str  # the size limit is the editor's own (413 with a Chinese message), not a schema error


# ---- responses ----

class Error(Schema):
    detail: str


class FieldError(Schema):
    """400: the request was understood but the content is not acceptable; errors by field where known."""
    detail: str
    errors: Optional[dict[str, list[str]]] = None


class InvalidItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(Schema):
    """422: the body is not one JSON object of the documented shape (e.g. a list: no bulk operations)."""
    detail: str
    errors: list[InvalidItem]


class FindingOut(Schema):
    """DESIGN.md §4 Finding JSON."""
    category: str
    rule: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: Optional[str] = None
    basis: Optional[str] = None
    location: Optional[str] = None


class StoredFindingOut(FindingOut):
    id: int
    field: str
    dismissed: bool
    dismissed_reason: str


class SubmitBlockedOut(Schema):
    detail: str
    findings: list[StoredFindingOut]


class GateRefusedOut(Schema):
    detail: str
    problems: list[str]


class SourceOut(Schema):
    kind: str
    name: str
    url: str


class MetadataOut(Schema):
    index_no: str
    issuing_org: str
    written_on: Optional[dt.date] = None
    doc_no: str
    topic: str


class RevisionOut(Schema):
    number: int
    hash: str
    title: str
    body_html: str
    summary: str
    source: SourceOut
    major: bool
    major_reason: str
    correction_note: str
    metadata: MetadataOut
    targets: list[str]
    created_at: dt.datetime
    created_by: str


class UnitRef(Schema):
    id: int
    name: str


class ItemCreatedOut(Schema):
    id: int
    state: str
    revision: RevisionOut


class WeChatPreviewOut(Schema):
    title: str
    title_length: int
    title_limit: int
    digest: str
    digest_limit: int
    content: str = Field(description="微信支持的正文 HTML（图片为本平台地址，发布时转存到微信）")
    problems: list[str] = Field(description="微信将拒绝发布的问题；为空表示可以发布")
    notes: list[str]


class PreviewOut(Schema):
    revision_number: int
    title: str
    body_html: str
    site_preview_url: str = Field(description="网站页面预览（工作人员登录后可看）")
    wechat: WeChatPreviewOut


class EditConflictOut(Schema):
    detail: str
    current_revision: RevisionOut


class RevisionSavedOut(Schema):
    id: int
    state: str
    created: bool
    revision: RevisionOut


class StepOut(Schema):
    step: str
    label: str
    status: str = Field(description="approved / returned / rejected / pending / waiting / not_reached / not_started")
    reviewer: Optional[str] = None
    decided_at: Optional[dt.datetime] = None
    comment: str = ""


class SourceDocumentOut(Schema):
    """A Word / WPS original the item's body was imported from: kept for the unit, never published."""
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime
    has_hidden_content: bool = Field(description="含隐藏内容：文件含批注、修订（插入或删除）或隐藏文字，"
                                                 "下载者能看到页面上看不到的内容")


class ItemOut(Schema):
    id: int
    unit: UnitRef
    author: str
    state: str
    current_step: Optional[str] = None
    revision: RevisionOut
    live_revision: Optional[int] = None
    steps: list[StepOut]
    findings: list[StoredFindingOut]
    withdrawn_reason: str = ""
    publications: list["PublicationOut"] = Field(default_factory=list, description="各发布目标的投递状态和网址")
    source_documents: list[SourceDocumentOut] = Field(default_factory=list, description="Word 原稿，最早的在前")


class ImportedOut(Schema):
    """The item after a Word / WPS import: its images saved as the item's images where they stood in the file."""
    id: int
    state: str
    created: bool = Field(description="是否生成了新版本")
    revision: RevisionOut
    images: int = Field(description="保存为本稿件图片、插入正文原位置的图片数")
    notes: list[str] = Field(description="给撰稿人的提示：无法导入的图片、须填写替代文字的图片、原稿中的隐藏内容")
    source_document: SourceDocumentOut


class RunOut(Schema):
    id: int
    status: str
    steps: list[str]
    current_step: Optional[str] = None
    revision_number: int
    revision_hash: str


class SubmitOut(Schema):
    id: int
    state: str
    run: RunOut
    findings: list[StoredFindingOut]


class DecisionOut(Schema):
    id: int
    step: str
    decision: str
    reviewer: str
    decided_at: dt.datetime
    revision_hash: str
    state: str
    current_step: Optional[str] = None


class ColumnOut(Schema):
    id: int
    key: str
    name: str
    path: str


class ChannelOut(Schema):
    id: int
    key: Optional[str] = Field(None, description="新媒体账号的发布目标键；网站本身不是目标，其栏目是")
    kind: str
    name: str
    status: str
    columns: list[ColumnOut]


class UnitChannelsOut(Schema):
    unit: UnitRef
    channels: list[ChannelOut]


class PublicationOut(Schema):
    target: str
    label: str
    status: str = Field(description="queued / sending / live / failed / superseded / withdrawn（中文见 status_label）")
    status_label: str = ""
    revision_number: int
    created_at: dt.datetime
    url: Optional[str] = None


class PublishOut(Schema):
    id: int
    state: str
    scheduled_at: Optional[dt.datetime] = None
    publications: list[PublicationOut]


class TodoItemRef(Schema):
    id: int
    title: str
    state: str
    unit: UnitRef


class TodoOut(Schema):
    # review | revise | publish (item set) | manual_post | manual_delete | sign | rectify | verify | sample | inspect
    kind: str
    item: Optional[TodoItemRef] = None  # the item, for review / revise / publish
    title: str
    link: str  # the staff page where the duty is done
    unit: str
    label: str
    since: dt.datetime
    waited_seconds: int
    waited_text: str


class CheckOut(Schema):
    findings: list[FindingOut]
    text: str


class CleanedOut(Schema):
    html: str
    notes: list[str]  # what the clean-up had to leave out (images), for the editor to tell the writer


class TypesetOut(Schema):
    html: str


class NotificationOut(Schema):
    id: int
    verb: str
    message: str
    link: str  # the page it is about (a site path), or ""
    created_at: dt.datetime
    read_at: Optional[dt.datetime]


class MarkedOut(Schema):
    marked: int


class DeskRowOut(Schema):
    id: int
    kind: str  # a MonitorFinding kind, or "ticket"
    title: str
    channel: str
    unit: str
    at: Optional[dt.datetime]  # first seen / reported
    deadline: Optional[dt.date]
    page: str  # the staff page that handles it


class DeskQueueOut(Schema):
    key: Literal["urgent", "reported", "overdue", "due_soon", "veto_risk"]
    title: str
    count: int  # all of them; rows holds the first 20
    rows: list[DeskRowOut]


class UptimeWeekOut(Schema):
    week: dt.date  # its Monday
    probes: int
    failed: int
    status: str  # no_data（无数据）| ok（正常）| unreachable（无法访问：失败次数达到 5%）
    label: str


class UptimeOut(Schema):
    channel: int
    name: str
    url: str
    weeks: list[UptimeWeekOut]  # oldest first


class SiteScanIn(Schema):
    url: str = Field(max_length=1000, description="任意网站地址（http:// 或 https://），不必是已登记的渠道",
                     examples=["https://www.example.gov.cn/"])
    max_pages: Optional[int] = Field(None, description="最多检查页面数，默认 200，最多 2000")


class ScanFindingOut(Schema):
    url: str
    kind: str  # page_content | hidden_link | injected_code | broken_link
    category: str
    rule: str
    severity: str  # serious | warning | info
    text: str
    message: str
    suggestion: str
    start: Optional[int] = None
    end: Optional[int] = None


class SiteScanOut(Schema):
    id: int
    state: str  # pending | running | done | failed
    url: str
    pages: Optional[int] = None
    serious: Optional[int] = None
    total: Optional[int] = None  # all findings; `findings` holds the first 500
    error: str = ""  # the site could not be read
    findings: list[ScanFindingOut] = []


class MonitoringIn(Schema):
    # A plain string, checked by the action after the permission check: a unit's user learns nothing from a 422.
    what: str = Field(description="crawl：网站和政务新媒体监测（含网页内容检查、账号核查）；probe：网站可用性探测；"
                                  "accounts：政务新媒体账号核查；rescan：已发布稿件复查",
                      examples=["crawl"])


class JobOut(Schema):
    id: int
    kind: str
    state: str
    label: str
