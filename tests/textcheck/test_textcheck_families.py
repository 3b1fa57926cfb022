"""One block of tests per remaining rule family: advertising, prohibited, political,
wording, typo, opinion, link, source/sensitive."""

import pytest

from .conftest import assert_offsets


def find(checker, text, category, severities=("warn", "block")):
    fs = checker.check_text(text)
    assert_offsets(text, fs)
    return [f for f in fs if f.category == category and f.severity in severities]


# --- advertising --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "限时优惠，加微信abc12345了解详情",
    "扫码领取精美礼品",
    "诚招代理加盟，厂家直销",
    "本产品销量第一，全网最低价，欢迎购买",
    "加 微 信 领取福利",
])
def test_advertising_true_positives(checker, text):
    assert find(checker, text, "advertising")


@pytest.mark.parametrize("text", [
    "要形成最佳实践，推动高质量发展。",
    "群众可扫码关注政务公众号获取信息。",
    "落实税收优惠政策，支持小微企业发展。",
    "世界上没有包治百病的灵丹妙药。",
])
def test_advertising_near_misses(checker, text):
    assert not find(checker, text, "advertising")


# --- prohibited ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,rule", [
    ("欢迎访问澳门赌*博网站，注册送彩金", "prohibited.obscene_gambling_violence"),
    ("最新在线賭場上线啦", "prohibited.obscene_gambling_violence"),
    ("ＢＡＩＪＩＡＬＥ 百 家 乐 真人荷官", "prohibited.obscene_gambling_violence"),
    ("法 轮 功 学员聚会", "prohibited.cult_superstition"),
    ("法轮工大法好", "prohibited.cult_superstition"),
    ("提供代开发票业务", "prohibited.other_illegal"),
    ("这个狗官真是人渣", "prohibited.insult_defamation"),
    ("支持台独言论", "prohibited.state_security"),
    ("转发扩散，不转不是中国人", "prohibited.rumor"),
])
def test_prohibited_true_positives(checker, text, rule):
    fs = find(checker, text, "prohibited", ("block",))
    assert rule in {f.rule for f in fs}
    assert all(f.basis.startswith("第十条") for f in fs)


def test_prohibited_zero_width_disguise_offsets(checker):
    text = "加入赌\u200b博网站"
    fs = find(checker, text, "prohibited", ("block",))
    assert fs and fs[0].start == 2 and fs[0].text == "赌\u200b博网站"


@pytest.mark.parametrize("text", [
    "依法打击赌博违法犯罪活动，深入开展扫黄打非工作。",
    "开展反邪教宣传教育，揭批法轮功邪教本质。",
    "防范电信网络诈骗，警惕冒充公检法诈骗。",
    "坚决打击网络赌博、涉黄涉毒等违法犯罪。",
    "禁毒宣传进社区，远离毒品、珍爱生命。",
])
def test_fighting_context_is_not_blocked(checker, text):
    assert not find(checker, text, "prohibited", ("block",))


def test_regulation_list_is_not_blocked(checker):
    text = "(七) 散布淫秽、色情、赌博、暴力、恐怖或者教唆犯罪的；\n(五) 破坏国家宗教政策，宣扬邪教和封建迷信的；"
    assert not [f for f in checker.check_text(text) if f.severity == "block"]


# --- political ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,sug", [
    ("习进平总书记发表重要讲话", "习近平"),
    ("坚持一国两治方针", "一国两制"),
    ("坚持中国特色社会主意道路", "中国特色社会主义"),
])
def test_political_misspellings(checker, text, sug):
    fs = find(checker, text, "political", ("block",))
    assert fs and fs[0].suggestion == sug


def test_political_leader_title(checker):
    fs = find(checker, "李强总书记主持会议", "political", ("block",))
    assert fs and fs[0].rule == "political.leader_title"
    assert not find(checker, "习近平总书记、李强总理出席", "political")


def test_hmt_among_countries(checker):
    assert find(checker, "来自美国、日本、台湾等国家的客商", "political", ("block",))
    assert not find(checker, "来自美国、日本、台湾等国家和地区的客商", "political")
    assert find(checker, "推进两岸三地交流", "political")
    assert find(checker, "台湾总统选举", "political", ("block",))


def test_ordered_formulation(checker):
    fs = find(checker, "增强政治意识、核心意识、大局意识、看齐意识", "political")
    assert fs and fs[0].rule == "political.order"
    assert not find(checker, "增强政治意识、大局意识、核心意识、看齐意识", "political")


# --- wording ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,sug", [
    ("根据鄂政发[2023]5号文件", "〔2023〕5号"),
    ("根据鄂政发（2023）5号文件", "〔2023〕5号"),
    ("根据鄂政发〔2023〕第5号文件", "〔2023〕5号"),
    ("根据鄂政发〔2023〕05号文件", "〔2023〕5号"),
])
def test_doc_numbers(checker, text, sug):
    fs = [f for f in find(checker, text, "wording") if f.rule == "wording.doc_number"]
    assert fs and fs[0].suggestion == sug


def test_doc_number_correct_and_court_case(checker):
    assert not find(checker, "鄂州临空政务公开办发〔2023〕2号", "wording")
    assert not find(checker, "（2023）鄂07民终123号判决", "wording")


def test_outdated_org_names(checker):
    fs = find(checker, "区国土资源局组织召开会议", "wording")
    assert fs and "自然资源" in fs[0].suggestion
    assert not find(checker, "原国土资源局局长", "wording")
    assert not find(checker, "区文化和旅游局开展活动", "wording")
    assert not find(checker, "各级文化部门要加强管理", "wording")
    assert not find(checker, "将国土资源部的职责整合，组建自然资源部", "wording")


def test_punctuation(checker):
    assert find(checker, "会议强调，，要加强管理。", "wording")
    fs = find(checker, "学习《条例的精神。", "wording")
    assert fs and fs[0].rule == "wording.unpaired_punct" and fs[0].text == "《"
    half = [f for f in checker.check_text("中文,中文") if f.rule == "wording.halfwidth_punct"]
    assert half and half[0].severity == "info"


def test_numbers_and_doubled_words(checker):
    assert find(checker, "二0二三年工作总结", "wording")
    assert find(checker, "这是我们的的工作", "wording")
    assert not find(checker, "的的确确如此，为了了解情况，不了了之", "wording")


# --- typo ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,sug", [
    ("各单位要认真布署", "部署"),
    ("再接再励，争取更大成绩", "再接再厉"),
    ("截止2023年底，共完成投资", "截至"),
    ("大家同心协立干事业", "同心协力"),
    ("他谈笑风声", "谈笑风生"),
])
def test_typos(checker, text, sug):
    fs = find(checker, text, "typo")
    assert fs and fs[0].suggestion == sug


def test_typo_near_misses(checker):
    for text in ["报名截止时间为2023年12月31日", "部署落实", "再接再厉", "截至2023年底", "同心协力"]:
        assert not find(checker, text, "typo"), text


# --- opinion ------------------------------------------------------------------------------

def test_opinion(checker):
    assert find(checker, "我觉得这个政策太离谱了", "opinion")
    fs = find(checker, "太好了！！！", "opinion")
    assert fs and fs[0].text == "！！！"
    assert find(checker, "这操作真是坑爹", "opinion")
    assert not find(checker, "会议强调要坚持人民至上！", "opinion")


# --- link ---------------------------------------------------------------------------------

def test_links(checker):
    rules = {f.rule for f in checker.check_text("详见 http://www.example.com/a.html")}
    assert {"link.insecure", "link.external"} <= rules
    fs = checker.check_text("内网 https://10.1.2.3/oa 系统")
    assert any(f.rule == "link.ip_address" and f.severity == "block" and f.text == "https://10.1.2.3/oa" for f in fs)
    assert any(f.rule == "link.malformed" for f in checker.check_text("网址 htp://www.gov.cn"))
    assert any(f.rule == "advertising.short_link" for f in checker.check_text("点击 t.cn/A6abcd 查看"))
    assert any(f.rule == "advertising.commercial_link" for f in checker.check_text("购买 https://item.taobao.com/x"))
    assert not [f for f in checker.check_text("详见 https://www.gov.cn/zhengce/ 和 https://www.news.cn/")
                if f.severity != "info"]


# --- source and sensitive -----------------------------------------------------------------

def test_source_and_sensitive(checker):
    assert find(checker, "图片来源于网络，侵删", "source")
    assert find(checker, "来源: 网络", "source")
    assert find(checker, "发生群体性事件", "sensitive")


def test_date_written_with_hao(checker):
    fs = [f for f in checker.check_text("会议定于3月15号召开") if f.rule == "wording.date"]
    assert fs and fs[0].text == "3月15号" and fs[0].suggestion == "3月15日"
    assert not [f for f in checker.check_text("2023年3月15日召开") if f.rule == "wording.date"]


def test_more_typos_and_sources(checker):
    assert [f.suggestion for f in checker.check_text("付书记讲话") if f.category == "typo"] == ["副书记"]
    assert find(checker, "本文转载自微信公众号某某", "source")
    assert find(checker, "小编觉得这事不简单", "opinion")
