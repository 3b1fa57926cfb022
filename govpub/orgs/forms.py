from django import forms
from django.contrib.auth.password_validation import validate_password

from govpub.ops.text import SingleLineForm

from .models import UNIT_ROLES, Person, Role, Unit, UnitKind


class UnitForm(SingleLineForm):
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices)
    code = forms.CharField(label="单位代码", max_length=40, required=False)

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Unit.objects.filter(name=name)
        if self.unit:
            clash = clash.exclude(pk=self.unit.pk)
        if clash.exists():
            raise forms.ValidationError("已存在同名单位。")
        return name


class ConfidentialityReviewForm(SingleLineForm):
    established = forms.BooleanField(label="已建立保密审查机制", required=False)
    note = forms.CharField(label="说明（制度文件名称、印发日期等）", max_length=300, required=False)


class ReasonForm(SingleLineForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class GrantRoleForm(SingleLineForm):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.filter(is_active=True))
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["person"].label_from_instance = str

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == Role.SUPERVISOR and self.unit.kind != UnitKind.OPEN_OFFICE:
            raise forms.ValidationError("监管人员角色只能在政务公开办中授予。")
        return role


class PersonForm(SingleLineForm):
    username = forms.RegexField(label="账号", max_length=150, regex=r"^[A-Za-z0-9_.@+-]+$",
                                error_messages={"invalid": "账号只能包含字母、数字和 _ . @ + - 符号。"})
    full_name = forms.CharField(label="姓名", max_length=60)
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.CharField(label="办公电话", max_length=30, required=False)
    job_title = forms.CharField(label="职务", max_length=60, required=False)
    password1 = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if Person.objects.filter(username=username).exists():
            raise forms.ValidationError("该账号已存在。")
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif p1:
            candidate = Person(username=data.get("username", ""), full_name=data.get("full_name", ""),
                               email=data.get("email", ""))
            try:
                validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


ROLE_CHOICES_IN_UNIT = [(r.value, r.label) for r in UNIT_ROLES]
