from django import forms

from govpub.ui.widgets import DateTimeInput


class PublishForm(forms.Form):
    revision_hash = forms.CharField(widget=forms.HiddenInput)
    at = forms.DateTimeField(label="定时发布时间", required=False,
                             widget=DateTimeInput(),
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                             help_text="定时发布时选择时间，到时自动发布（届时重新检查发布条件）；立即发布无需填写。")


class WithdrawForm(forms.Form):
    # Not required here: withdraw_item says why a reason is needed (the browser asks first).
    reason = forms.CharField(label="撤稿原因", max_length=500, required=False,
                             widget=forms.Textarea({"rows": 2, "required": True}))
