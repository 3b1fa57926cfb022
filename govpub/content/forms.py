from django import forms
from django.urls import reverse

from govpub.channels.targets import allowed_targets
from govpub.ops.text import SingleLineForm
from govpub.ui.widgets import DateInput

from .models import Attachment, ItemState, SourceKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RichTextarea(forms.Textarea):
    """A plain textarea that static/govpub/editor.js turns into a WYSIWYG editor (works without JS too)."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 16, "data-rich": "1", **(attrs or {})})


class ItemForm(SingleLineForm):
    title = forms.CharField(label="标题", max_length=200, required=False)
    body_html = forms.CharField(label="正文", widget=RichTextarea, required=False,
                                help_text="保存时会自动清除脚本、事件属性等不安全内容。")
    summary = forms.CharField(label="摘要", max_length=500, required=False, widget=forms.Textarea({"rows": 2}))
    targets = forms.MultipleChoiceField(label="发布栏目或账号", required=False, widget=forms.CheckboxSelectMultiple)
    source_kind = forms.ChoiceField(label="信息来源", choices=SourceKind.choices, initial=SourceKind.ORIGINAL,
                                    widget=forms.RadioSelect)
    source_name = forms.CharField(label="来源名称（转载时必填）", max_length=100, required=False)
    source_url = forms.URLField(label="来源网址（转载时必填）", max_length=500, required=False, assume_scheme="https")
    major = forms.BooleanField(label="重大信息（须经主要负责人审核）", required=False)
    major_reason = forms.CharField(label="重大信息说明", max_length=300, required=False)
    index_no = forms.CharField(label="索引号", max_length=60, required=False)
    issuing_org = forms.CharField(label="发布机构", max_length=100, required=False)
    written_on = forms.DateField(label="成文日期", required=False, widget=DateInput())
    doc_no = forms.CharField(label="文号", max_length=60, required=False)
    topic = forms.CharField(label="主题分类", max_length=60, required=False)
    correction_note = forms.CharField(label="更正说明", max_length=500, required=False,
                                      help_text="本稿件已发布过：修改后作为更正重新审核，须说明更正内容。")
    keep_attachments = forms.TypedMultipleChoiceField(label="已上传的附件（勾选的随稿件发布）", required=False,
                                                      coerce=int, widget=forms.CheckboxSelectMultiple)
    cover_id = forms.TypedChoiceField(label="封面图", required=False, coerce=int, empty_value=None)
    word_file = forms.FileField(label="导入 Word 或 WPS 文件（.docx、.doc、.wps，导入后替换正文，图片保留在原位置）",
                                required=False, widget=forms.ClearableFileInput({"accept": ".docx,.doc,.wps"}))
    attachments = MultipleFileField(label="上传附件（可多选：PDF、Word、WPS、Excel、PPT、OFD、图片）", required=False)
    cover = forms.FileField(label="上传封面图（JPEG、PNG、GIF）", required=False,
                            widget=forms.ClearableFileInput({"accept": "image/jpeg,image/png,image/gif"}))
    # The revision this edit started from: a save based on an older one is refused, not written over it.
    base_revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, unit, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit, self.item = unit, item
        if item is not None:  # the editor's image button uploads here; a new item is saved as a draft first
            self.fields["body_html"].widget.attrs["data-image-upload"] = reverse("item_image_upload", args=[item.pk])
        self.fields["targets"].choices = [(t.key, t.label) for t in allowed_targets(unit)]
        if item is None or item.live_revision_id is None:
            del self.fields["correction_note"]
        if item is None:
            del self.fields["base_revision"]
        files = list(item.attachments.exclude(kind=Attachment.Kind.SOURCE_DOCX)) if item else []
        if files:
            self.fields["keep_attachments"].choices = [(a.pk, f"{a.name}（{a.get_kind_display()}）") for a in files]
            images = [(a.pk, a.name) for a in files if a.kind == Attachment.Kind.IMAGE]
            self.fields["cover_id"].choices = [("", "无封面图")] + images
            if not images:
                del self.fields["cover_id"]
        else:
            del self.fields["keep_attachments"]
            del self.fields["cover_id"]

    def clean(self):
        data = super().clean()
        if "title" in data and not (data.get("title") or "").strip() and not data.get("word_file"):
            self.add_error("title", "请填写标题（或导入 Word 文件）。")
        if data.get("major") and not (data.get("major_reason") or "").strip():
            self.add_error("major_reason", "标记为重大信息时须说明理由。")
        if data.get("source_kind") == SourceKind.REPRINT and not (data.get("source_name") and data.get("source_url")):
            self.add_error("source_name", "转载的信息须注明来源名称和来源网址。")
        if "correction_note" in self.fields and not (data.get("correction_note") or "").strip():
            self.add_error("correction_note", "已发布稿件的更正须填写更正说明。")
        return data


ITEM_FIELDS = ("title", "body_html", "summary", "targets", "source_kind", "source_name", "source_url", "major",
               "major_reason", "index_no", "issuing_org", "written_on", "doc_no", "topic", "correction_note")


def revision_values(revision) -> dict:
    """A revision as the edit form's values (what an editor starts from)."""
    values = {name: getattr(revision, name) for name in ITEM_FIELDS}
    values["targets"] = list(revision.targets)
    values["keep_attachments"] = list(revision.attachments.values_list("pk", flat=True))
    values["cover_id"] = revision.cover_id
    return values


def initial_for(item) -> dict:
    return {**revision_values(item.current_revision), "base_revision": item.current_revision.number}


class ItemFilterForm(SingleLineForm):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + ItemState.choices)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)
    q = forms.CharField(label="标题关键词", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部")] + [(u.pk, u.name) for u in units]


class ReasonForm(SingleLineForm):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea({"rows": 2}))
