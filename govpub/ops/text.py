"""Single-line text: a name, title or number never holds CR/LF, tabs or other control characters.

They break e-mail headers (a title with CR/LF silently dropped the notification e-mail), exports
and log lines, and no Chinese office types them on purpose.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
MESSAGE = "不能包含换行符、制表符等控制字符，请写在一行内。"


def single_line(value: str) -> None:
    if value and CONTROL_CHARS.search(str(value)):
        raise ValidationError(MESSAGE, code="control_characters")


def one_line(text: str) -> str:
    """The text with every run of control characters and spaces made one space (for headers and subjects)."""
    return " ".join(CONTROL_CHARS.sub(" ", text or "").split())


class SingleLineForm(forms.Form):
    """A form whose one-line text inputs refuse control characters (text areas keep their line breaks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                field.validators.append(single_line)
