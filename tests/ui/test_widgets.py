"""Date pickers render ISO values: the browser drops a zh-hans '2026/12/13' and the default was lost."""

import datetime as dt

import pytest
from django import forms
from django.utils import timezone
from django.utils.translation import override

from govpub.ui.widgets import DateInput, DateTimeInput


class Dates(forms.Form):
    day = forms.DateField(widget=DateInput())
    moment = forms.DateTimeField(widget=DateTimeInput())


def test_initial_values_render_in_the_formats_html_requires():
    with override("zh-hans"):
        html = str(Dates(initial={"day": dt.date(2026, 12, 13), "moment": dt.datetime(2026, 12, 13, 9, 5)}))
    assert 'type="date"' in html and 'value="2026-12-13"' in html
    assert 'type="datetime-local"' in html and 'value="2026-12-13T09:05"' in html


@pytest.mark.django_db
def test_the_ticket_form_shows_its_default_deadline():
    from govpub.supervision.forms import TicketForm

    with override("zh-hans"):
        html = str(TicketForm()["deadline"])
    expected = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert f'value="{expected}"' in html
