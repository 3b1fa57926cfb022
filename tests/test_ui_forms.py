"""run_form_action and run_action: the staff views' form → action → message patterns, once."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from govpub.ui.forms import REFUSED, run_form_action


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_runs_the_action_with_cleaned_data_and_says_so():
    request = _request(data={"name": "区政府网站"})
    result = run_form_action(request, NameForm(request.POST), lambda data: data["name"] * 2, lambda r: f"已保存{r}")
    assert result == "区政府网站区政府网站"
    assert [m.message for m in get_messages(request)] == ["已保存区政府网站区政府网站"]


def test_an_action_that_returns_nothing_still_counts_as_done():
    request = _request(data={"name": "x"})
    assert run_form_action(request, NameForm(request.POST), lambda data: None) is True


def test_a_refusal_lands_on_the_form_and_nothing_is_announced():
    request = _request(data={"name": "x"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "名称已被占用。"})

    assert run_form_action(request, form, refuse, "已保存") is REFUSED
    assert form.errors["name"] == ["名称已被占用。"]
    assert list(get_messages(request)) == []


def test_get_and_invalid_forms_do_not_run_the_action():
    calls = []
    get = _request("get")
    assert not run_form_action(get, NameForm(), calls.append)
    post = _request(data={})
    assert not run_form_action(post, NameForm(post.POST), calls.append)
    assert calls == []


def test_a_button_action_says_what_was_done_or_why_not():
    from govpub.ui.forms import run_action

    done = _request()
    assert run_action(done, lambda: 3, lambda n: f"已导入 {n} 条。") == 3
    assert [m.message for m in get_messages(done)] == ["已导入 3 条。"]

    def refuse():
        raise ValidationError(["该稿件已撤稿。", "无需重复操作。"])

    refused = _request()
    assert run_action(refused, refuse, "已撤稿。", failed="不能撤稿：") is REFUSED
    assert [(m.level_tag, m.message) for m in get_messages(refused)] == [("error", "不能撤稿：该稿件已撤稿。 无需重复操作。")]
