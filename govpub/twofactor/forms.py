from django import forms


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label="验证码", max_length=12, strip=True,
        help_text="验证器应用中显示的 6 位数字，每 30 秒更新一次。",
        error_messages={"required": "请输入验证器显示的 6 位验证码。"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8,
                                      "autofocus": True}))


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label="验证码或恢复码", max_length=32, strip=True,
        help_text="输入验证器中的 6 位数字；手机不在身边时，可输入一个恢复码（每个恢复码只能使用一次）。",
        error_messages={"required": "请输入验证码或恢复码。"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "size": 12, "autofocus": True}))
