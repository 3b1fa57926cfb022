from django import forms

from govpub.orgs.models import Person, Unit
from govpub.ops.text import SingleLineForm
from govpub.ui.widgets import DateInput

from .models import Channel, ChannelKind, ChannelStatus, Column


class ChannelForm(SingleLineForm):
    kind = forms.ChoiceField(label="渠道类型", choices=ChannelKind.choices)
    name = forms.CharField(label="名称", max_length=100)
    sponsor_unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.all())
    operator_unit = forms.ModelChoiceField(label="承办单位", queryset=Unit.objects.all())
    opened_on = forms.DateField(label="开设日期", required=False, widget=DateInput())
    verified_entity = forms.CharField(label="认证主体", max_length=100, required=False)
    account_id = forms.CharField(label="账号ID", max_length=100, required=False)
    url = forms.URLField(label="网址/主页", required=False, assume_scheme="https")
    site_code = forms.CharField(label="网站标识码", max_length=40, required=False)

    def __init__(self, *args, channel: Channel | None = None, **kwargs):
        self.channel = channel
        super().__init__(*args, **kwargs)
        if channel is not None:
            self.fields["kind"].disabled = True

    def clean(self):
        data = super().clean()
        clash = Channel.objects.filter(kind=data.get("kind"), name=data.get("name"))
        if self.channel:
            clash = clash.exclude(pk=self.channel.pk)
        if data.get("name") and clash.exists():
            self.add_error("name", "已存在同类型同名的渠道。")
        return data


class StatusForm(SingleLineForm):
    status = forms.ChoiceField(label="新状态", choices=ChannelStatus.choices)
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, channel: Channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in ChannelStatus if channel.can_move_to(s)]


class ColumnForm(SingleLineForm):
    name = forms.CharField(label="栏目名称", max_length=60)
    slug = forms.SlugField(label="路径（英文字母、数字、连字符）", max_length=60,
                           error_messages={"invalid": "路径只能包含英文字母、数字、下划线和连字符。"})
    parent = forms.ModelChoiceField(label="上级栏目", queryset=Column.objects.none(), required=False)
    position = forms.IntegerField(label="排序", min_value=0, initial=0)

    def __init__(self, *args, channel: Channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["parent"].queryset = channel.columns.all()

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.channel.columns.filter(slug=slug).exists():
            raise forms.ValidationError("该网站已有相同路径的栏目。")
        return slug


class ContentListEntryForm(SingleLineForm):
    column = forms.ModelChoiceField(label="栏目", queryset=Column.objects.none(), required=False)
    category = forms.CharField(label="内容类别", max_length=100)
    responsible_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.all())
    responsible_person = forms.ModelChoiceField(label="责任人", queryset=Person.objects.filter(is_active=True),
                                                required=False)
    update_interval_days = forms.IntegerField(label="更新周期（天）", min_value=1, max_value=3660, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, channel: Channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = channel.columns.all()
        if not channel.is_website:
            del self.fields["column"]
