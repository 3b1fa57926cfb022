import datetime as dt

from django import forms
from django.utils import timezone

from govpub.channels.models import Channel, ChannelStatus
from govpub.ops.text import SingleLineForm
from govpub.orgs.models import Unit
from govpub.ui.widgets import DateInput, DateTimeInput

from .models import TicketMethod


class TicketForm(SingleLineForm):
    channel = forms.ModelChoiceField(label="渠道", queryset=Channel.objects.exclude(status=ChannelStatus.CLOSED)
                                     .select_related("operator_unit"),
                                     help_text="问题所在的网站或政务新媒体账号")
    unit = forms.ModelChoiceField(label="责任单位", required=False, queryset=Unit.objects.order_by("name"),
                                  help_text="留空：按发布内容清单交给负责该栏目或内容的单位，清单未列明时交给渠道的承办单位")
    title = forms.CharField(label="问题", max_length=200)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(label="问题证据", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="网址、截图说明、发现时间等")
    method = forms.ChoiceField(label="交办方式", choices=TicketMethod.choices, initial=TicketMethod.LETTER)
    deadline = forms.DateField(label="整改期限", widget=DateInput(),
                               help_text="格式：YYYY-MM-DD")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].label_from_instance = lambda c: f"{c}——承办单位：{c.operator_unit.name}"
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=10)


class ReportForm(SingleLineForm):
    text = forms.CharField(label="整改情况及证明", widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="说明整改措施、完成时间，以及可核验的网址或截图说明")
    file = forms.FileField(label="证明材料（可选）", required=False,
                           help_text="PDF、Word、Excel 或图片")


class ReasonForm(SingleLineForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SendBackForm(ReasonForm):
    new_deadline = forms.DateField(label="新的整改期限（可选）", required=False,
                                   widget=DateInput())


class VerifyForm(SingleLineForm):
    note = forms.CharField(label="核验意见", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorConfigForm(SingleLineForm):
    config = forms.CharField(label="指标配置（JSON）", widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
                             help_text="修改数值（天数、比例、扣分分值与上限、合格分等）后保存为新版本；已有得分保留其所用版本。")
    note = forms.CharField(label="修订说明", max_length=300)

    def clean_config(self):
        import json

        try:
            return json.loads(self.cleaned_data["config"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列，{error.msg}")


class ScoreForm(SingleLineForm):
    period_start = forms.DateField(label="考核期起", widget=DateInput())
    period_end = forms.DateField(label="考核期止", widget=DateInput())


class InspectionForm(SingleLineForm):
    title = forms.CharField(label="督查名称", max_length=200)
    units = forms.ModelMultipleChoiceField(label="被督查单位", queryset=None,
                                           widget=forms.CheckboxSelectMultiple)
    period_start = forms.DateField(label="发布时间起", widget=DateInput())
    period_end = forms.DateField(label="发布时间止", widget=DateInput())
    sample_size = forms.IntegerField(label="抽样数量", min_value=1, max_value=500, initial=10)
    seed = forms.IntegerField(label="随机种子（可选）", required=False, min_value=0,
                              help_text="留空则随机生成并记录；填写相同种子可复现抽样")

    def __init__(self, *args, **kwargs):
        from govpub.orgs.models import Unit, UnitKind

        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.exclude(kind=UnitKind.OPEN_OFFICE).order_by("kind", "name")


class SampleReviewForm(SingleLineForm):
    comment = forms.CharField(label="复核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from govpub.review.models import CHECKLIST

        super().__init__(*args, **kwargs)
        fields = {key: forms.BooleanField(label=label, required=False, initial=True) for key, label in CHECKLIST}
        self.fields = {**fields, **self.fields}


def _ids(text: str, label: str) -> list[int]:
    import re

    parts = [p for p in re.split(r"[\s,，、]+", text or "") if p]
    if any(not p.isdigit() for p in parts):
        raise forms.ValidationError(f"{label}请填写编号，以逗号分隔。")
    return [int(p) for p in parts]


class IncidentForm(SingleLineForm):
    unit = forms.ModelChoiceField(label="责任单位", queryset=None)
    title = forms.CharField(label="事件", max_length=200)
    description = forms.CharField(label="事件经过", widget=forms.Textarea(attrs={"rows": 4}))
    occurred_at = forms.DateTimeField(label="发生时间", widget=DateTimeInput(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    remedy = forms.ChoiceField(label="补救措施", choices=())
    remedy_note = forms.CharField(label="补救说明", max_length=500, required=False)
    items = forms.CharField(label="涉及稿件编号", required=False, help_text="多个以逗号分隔")
    tickets = forms.CharField(label="相关交办问题编号", required=False, help_text="多个以逗号分隔")
    responsible = forms.ModelMultipleChoiceField(label="相关责任人", queryset=None, required=False)
    audit_events = forms.CharField(label="相关审计事件序号", required=False, help_text="多个以逗号分隔")
    suspend = forms.BooleanField(label="同时暂停该单位信息发布（第十二条）", required=False)

    def __init__(self, *args, **kwargs):
        from govpub.orgs.models import Person, Unit, UnitKind

        from .models import Incident

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.exclude(kind=UnitKind.OPEN_OFFICE)
        self.fields["remedy"].choices = Incident.Remedy.choices
        self.fields["responsible"].queryset = Person.objects.filter(is_active=True)

    def clean_items(self):
        from govpub.content.models import Item

        ids = _ids(self.cleaned_data["items"], "涉及稿件")
        found = list(Item.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise forms.ValidationError("部分稿件编号不存在。")
        return found

    def clean_tickets(self):
        from .models import Ticket

        ids = _ids(self.cleaned_data["tickets"], "交办问题")
        found = list(Ticket.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise forms.ValidationError("部分交办问题编号不存在。")
        return found

    def clean_audit_events(self):
        return _ids(self.cleaned_data["audit_events"], "审计事件")


class DecisionForm(SingleLineForm):
    decision = forms.CharField(label="问责决定", widget=forms.Textarea(attrs={"rows": 3}))


class WeightsForm(SingleLineForm):
    indicators = forms.FloatField(label="检查指标权重", min_value=0)
    tickets = forms.FloatField(label="问题整改权重", min_value=0)
    inspections = forms.FloatField(label="督查抽查权重", min_value=0)
    incidents = forms.FloatField(label="责任追究权重", min_value=0)
    ticket_overdue_penalty = forms.FloatField(label="每个逾期问题扣分", min_value=0)
    incident_penalty = forms.FloatField(label="每起责任追究事件扣分", min_value=0)
    order_penalty = forms.FloatField(label="每次限期整改令扣分", min_value=0)
    shutdown_penalty = forms.FloatField(label="每次责令关停扣分", min_value=0)


class SiteScanForm(SingleLineForm):
    url = forms.CharField(label="网站地址", max_length=1000, help_text="以 http:// 或 https:// 开头，不必是已登记的渠道",
                          widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}))
    max_pages = forms.IntegerField(label="最多检查页面数", required=False, min_value=1, initial=200,
                                   help_text="默认 200，最多 2000")
