"""Form widgets for the browser's own date pickers.

An <input type="date"> shows its value only when it is ISO (2026-12-13); Django's localized default
for zh-hans renders 2026/12/13, which the browser drops, so a form's default date never appeared
and the empty field was then refused. These widgets always render the formats the HTML standard
requires.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
