from django import forms

from govpub.ops.text import SingleLineForm

from .models import CATEGORY_CHOICES, SEVERITY_CHOICES


class EntryForm(SingleLineForm):
    term = forms.CharField(label="词条", max_length=100)
    category = forms.ChoiceField(label="类别", choices=CATEGORY_CHOICES)
    severity = forms.ChoiceField(label="严重程度", choices=SEVERITY_CHOICES, initial="warn")
    suggestion = forms.CharField(label="建议（可空）", max_length=200, required=False)
    note = forms.CharField(label="说明（可空；如 第十条(七)）", max_length=300, required=False)


class ImportForm(SingleLineForm):
    file = forms.FileField(label="词库文件（.tsv、.txt 或 .xlsx，UTF-8）")
