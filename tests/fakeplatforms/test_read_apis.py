"""The fakes' read APIs follow the platforms' documented contracts (scoping, paging, errors), and their
back-end lets a person post around GovPub — the bypass supervision must see."""

import httpx
import pytest

from govpub.fakeplatforms.wechat import FakeWeChat
from govpub.fakeplatforms.weibo import FakeWeibo


@pytest.fixture
def wechat():
    with FakeWeChat(accounts={"wx_a": "sa", "wx_b": "sb"}) as fake:
        yield fake


def _token(fake, appid, secret):
    return httpx.post(f"{fake.url}/cgi-bin/stable_token",
                      json={"grant_type": "client_credential", "appid": appid, "secret": secret}).json()["access_token"]


def _call(fake, path, token, **body):
    return httpx.post(f"{fake.url}/cgi-bin/{path}", params={"access_token": token}, json=body).json()


def test_wechat_batchget_lists_only_the_accounts_own_articles_newest_first_in_pages(wechat):
    for n in range(25):
        wechat.post_directly("wx_a", title=f"甲{n}", content=f"正文{n}")
    wechat.post_directly("wx_b", title="乙号文章", content="乙")
    a, b = _token(wechat, "wx_a", "sa"), _token(wechat, "wx_b", "sb")
    first = _call(wechat, "freepublish/batchget", a, offset=0, count=20)
    assert first["total_count"] == 25 and first["item_count"] == 20
    assert first["item"][0]["content"]["news_item"][0]["title"] == "甲24"
    rest = _call(wechat, "freepublish/batchget", a, offset=20, count=20)
    assert [i["content"]["news_item"][0]["title"] for i in rest["item"]] == ["甲4", "甲3", "甲2", "甲1", "甲0"]
    only_b = _call(wechat, "freepublish/batchget", b, offset=0, count=20)
    assert [i["content"]["news_item"][0]["title"] for i in only_b["item"]] == ["乙号文章"]
    assert _call(wechat, "freepublish/batchget", a, offset=0, count=21)["errcode"] == 40097
    assert _call(wechat, "freepublish/batchget", a, offset=0, count=0)["errcode"] == 40097


def test_wechat_getarticle_answers_for_the_accounts_own_articles(wechat):
    article_id = wechat.post_directly("wx_a", title="直接发表", content="<p>没有经过审核</p>")
    a, b = _token(wechat, "wx_a", "sa"), _token(wechat, "wx_b", "sb")
    news = _call(wechat, "freepublish/getarticle", a, article_id=article_id)["news_item"][0]
    assert news["title"] == "直接发表" and "没有经过审核" in news["content"] and news["url"].startswith("http")
    assert _call(wechat, "freepublish/getarticle", b, article_id=article_id)["errcode"] == 53600
    assert _call(wechat, "freepublish/getarticle", a, article_id="ARTICLE_nope")["errcode"] == 53600


def test_the_wechat_back_end_page_posts_without_any_api_call(wechat):
    page = httpx.get(f"{wechat.url}/backend/")
    assert page.status_code == 200 and "直接发表" in page.text and "wx_a" in page.text
    calls_before = len(wechat.calls)
    done = httpx.post(f"{wechat.url}/backend/post", data={"account": "wx_a", "title": "绕过审核", "content": "后台直接发"})
    assert "已发表" in done.text and "绕过审核" in done.text
    assert len(wechat.calls) == calls_before  # the back-end is not the API
    listed = _call(wechat, "freepublish/batchget", _token(wechat, "wx_a", "sa"), offset=0, count=1)
    assert listed["item"][0]["content"]["news_item"][0]["title"] == "绕过审核"
    refused = httpx.post(f"{wechat.url}/backend/post", data={"account": "wx_zzz", "content": "x"})
    assert "请选择账号" in refused.text


def test_the_back_end_is_never_subject_to_injected_faults(wechat):
    wechat.configure(failure_rate=1.0)
    assert httpx.post(f"{wechat.url}/backend/post", data={"account": "wx_b", "content": "照样发出"}).status_code == 200
    assert any(p["title"] == "照样发出" for p in wechat.live_posts())


def test_weibo_user_timeline_is_the_token_owners_statuses_with_paging_and_ids():
    with FakeWeibo(tokens={"tok-a": "1001", "tok-b": "1002"}) as weibo:
        mids = [weibo.post_directly("1001", content=f"甲微博{n}") for n in range(5)]
        weibo.post_directly("1002", content="乙微博")
        timeline = lambda **params: httpx.get(f"{weibo.url}/2/statuses/user_timeline.json",  # noqa: E731
                                              params={"access_token": "tok-a", **params}).json()
        assert [s["text"] for s in timeline(count=2)["statuses"]] == ["甲微博4", "甲微博3"]
        assert [s["text"] for s in timeline(count=2, page=3)["statuses"]] == ["甲微博0"]
        assert timeline()["total_number"] == 5 and all(s["user"]["idstr"] == "1001" for s in timeline()["statuses"])
        assert [s["idstr"] for s in timeline(since_id=mids[2])["statuses"]] == [mids[4], mids[3]]
        assert [s["idstr"] for s in timeline(max_id=mids[1])["statuses"]] == [mids[1], mids[0]]
        assert "+0800" in timeline()["statuses"][0]["created_at"]
        gone = httpx.post(f"{weibo.url}/2/statuses/destroy.json", data={"access_token": "tok-b", "id": mids[0]})
        assert gone.status_code == 400 and gone.json()["error_code"] == 20101  # not the other account's to delete
        assert "乙微博" in httpx.get(f"{weibo.url}/backend/").text
