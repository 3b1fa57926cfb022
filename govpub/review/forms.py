from django import forms

from .models import CHECKLIST

YES_NO = [("yes", "是"), ("no", "否")]


def _yes_no(label):
    # No initial value: every question is answered explicitly (第八条). Not required by the form: a return
    # or a rejection needs only its reason; the action asks approval for every answer.
    return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, required=False)


def _answer(value: str):
    return {"yes": True, "no": False}.get(value)


class DecisionForm(forms.Form):
    revision_hash = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea({"rows": 3}),
                              help_text="退回修改或不予发布时只需填写意见；审核通过须逐项回答全部审核要点。")

    def __init__(self, *args, evidence: dict | None = None, **kwargs):
        """evidence: checklist key → the revision's open machine findings on that point (review/evidence.py);
        each such point gets a reason field for a 是."""
        super().__init__(*args, **kwargs)
        self.evidence = evidence or {}
        for index, (key, question) in enumerate(CHECKLIST, start=1):
            self.fields[f"c_{key}"] = _yes_no(f"（{'一二三四五六七八九十'[index - 1]}）{question}")
            if key in self.evidence:
                self.fields[f"r_{key}"] = forms.CharField(
                    label="回答“是”的理由", required=False, max_length=500,
                    help_text="回答“是”须说明为何这些问题不影响发布")
        self.fields["confidentiality"] = _yes_no("保密审查：经审查，不涉及国家秘密和工作秘密")
        self.fields["proofread"] = _yes_no("校对：已逐字校对本版本全文")
        self.order_fields([f"c_{k}" for k, _ in CHECKLIST] + ["confidentiality", "proofread", "comment"])

    def questions(self):
        """(answer field, its open findings, the reason field or None), in checklist order, then 保密审查 and 校对."""
        rows = [(self[f"c_{key}"], self.evidence.get(key, []), self[f"r_{key}"] if f"r_{key}" in self.fields else None)
                for key, _ in CHECKLIST]
        return rows + [(self["confidentiality"], [], None), (self["proofread"], [], None)]

    def clean(self):
        data = super().clean()
        if self.data.get("decision") == "approve":  # the button pressed
            for name in [f"c_{key}" for key, _ in CHECKLIST] + ["confidentiality", "proofread"]:
                if not data.get(name):
                    self.add_error(name, "审核通过须回答此项。")
        return data

    def unanswered(self):
        """The questions an approval left open, to list (and link) above the form."""
        return [self[name] for name in self.errors if name.startswith("c_") or name in ("confidentiality", "proofread")]

    def checklist_fields(self):
        return [self[f"c_{key}"] for key, _ in CHECKLIST]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "checklist": {key: _answer(data.get(f"c_{key}")) for key, _ in CHECKLIST},
            "confidentiality_ok": _answer(data.get("confidentiality")),
            "proofread_ok": _answer(data.get("proofread")),
            "comment": data.get("comment", ""),
            "point_notes": {key: data.get(f"r_{key}", "") for key, _ in CHECKLIST if f"r_{key}" in self.fields},
        }


class AnnotationForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")  # beside the decision form on one page: ids of its own
        super().__init__(*args, **kwargs)

    quote = forms.CharField(label="所批原文", max_length=300, widget=forms.Textarea({"rows": 2}),
                            help_text="在正文中选中文字后点“引用所选文字”，或直接粘贴")
    comment = forms.CharField(label="批注", max_length=2000, widget=forms.Textarea({"rows": 2}))
