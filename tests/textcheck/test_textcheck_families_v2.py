"""Rule families added for unseen government web and WeChat content (issue 19, item 1): one
block per family with realistic positives and near misses, the context model's pairs (the same
phrase offered → block; quoted in a warning → warn with the reason), time-aware leaders' titles
and sessions, and GB/T 9704 layout terms kept out of the typo stage."""

import datetime

import pytest

from govpub.textcheck import build_checker, check_html

from .conftest import assert_offsets


def found(checker, text, category, severities=("warn", "block"), **kw):
    fs = checker.check_text(text, **kw)
    assert_offsets(text, fs)
    return [f for f in fs if f.category == category and f.severity in severities]


def rules(fs):
    return {f.rule for f in fs}


# --- advertising (第七条; 广告法第九条) ------------------------------------------------------

@pytest.mark.parametrize("text,rule", [
    ("本店销量冠军产品，现推出买一赠一活动", "advertising.promotion"),
    ("本款大米采用顶级工艺，口感极佳，欢迎选购", "advertising.promotion"),
    ("国家级产品，品质卓越，欢迎购买", "advertising.absolute_claim"),
    ("限量抢购，手慢无，扫码进群领福利", "advertising.promotion"),
    ("感兴趣的朋友请加薇❤：abc12345", "advertising.contact_handle"),
    ("咨询请➕V：zhang8888", "advertising.contact_handle"),
    ("详情请加扣扣 1 2 3 4 5 6 7 8 9", "advertising.contact_handle"),
    ("私聊威芯号：abc666888", "advertising.contact_handle"),
    ("扣扣：九八七六五四三二一", "advertising.contact_handle"),
])
def test_advertising_v2_positives(checker, text, rule):
    assert rule in rules(found(checker, text, "advertising", ("block",)))


@pytest.mark.parametrize("text", [
    "我区新增国家级非物质文化遗产代表性项目2项。",
    "请关注微信公众号：xxzwgk2024，及时了解政务信息。",
    "记者从市卫星遥感中心获悉，今年监测面积扩大。",
    "拖欠农民工工资问题实现动态清零。",
    "蔬菜批发价格总体平稳。",
])
def test_advertising_v2_near_misses(checker, text):
    assert not found(checker, text, "advertising")


# --- prohibited (第十条) --------------------------------------------------------------------

@pytest.mark.parametrize("text,rule", [
    ("bjl在线玩，ag真人，上分下分秒到", "prohibited.obscene_gambling_violence"),
    ("菠菜平台稳定出款，日入过千", "prohibited.obscene_gambling_violence"),
    ("专业办理各类证件，刻章，代开各类发票", "prohibited.other_illegal"),
    ("提供代办驾驶证、毕业证服务，包过", "prohibited.other_illegal"),
    ("招聘刷单员，日结工资", "prohibited.other_illegal"),
    ("黑户可下款，当天放款", "prohibited.other_illegal"),
    ("黑火药配方及土制炸弹制作方法详解", "prohibited.obscene_gambling_violence"),
    ("教你如何自制炸药", "prohibited.obscene_gambling_violence"),
    ("喝了这碗符水能治百病，癌症也能好", "prohibited.cult_superstition"),
    ("紧急通知！明天起全市停水三天，看到请转发给家人朋友", "prohibited.rumor"),
    ("重要提醒：自来水已被污染，请立即转发到每个群", "prohibited.rumor"),
])
def test_prohibited_v2_positives(checker, text, rule):
    assert rule in rules(found(checker, text, "prohibited", ("block",)))


@pytest.mark.parametrize("text", [
    "区政务服务中心设立帮办代办窗口，为群众代办身份证、驾驶证补领业务。",
    "区自来水公司紧急通知：因管网维修，明日停水，请广大用户相互转告。",
    "家庭医生上门为老人看病，送医送药。",
    "菠菜、芹菜等蔬菜价格稳中有降。",
])
def test_prohibited_v2_near_misses(checker, text):
    assert not found(checker, text, "prohibited", ("block",))


# --- context model: the same phrase offered vs. quoted in a warning -----------------------

# The warning sentences carry no fighting word of their own (which would already make the
# lexicon hit a 提示): the cue is in the neighbouring sentence, as in real notices.
PAIRS = [
    ("代开发票", "专业代开发票，量大从优。",
     "近期诈骗高发，请广大群众提高警惕。有人冒称能“代开发票”，收了钱就消失。", "防诈骗提示"),
    ("刷单返利", "刷单返利，动动手指日入三百。",
     "反诈中心发布提示。“刷单返利”的广告最近又冒了出来，大家看到就绕开。", "防诈骗提示"),
    ("百家乐", "百家乐真人在线，火爆开局。",
     "市公安局通报专项行动战果。此次共捣毁“百家乐”网站12个。", "执法通报"),
    ("机密★10年", "这份材料标着机密★10年，大家传阅一下。",
     "保密教育专题：失泄密案件警示我们。严禁将标有“机密★10年”的文件拍照上传。", "保密教育"),
]


@pytest.mark.parametrize("phrase,offer,warning,kind", PAIRS)
def test_context_model_pairs(checker, phrase, offer, warning, kind):
    hits = [f for f in checker.check_text(offer) if phrase in f.text or f.text in phrase]
    assert any(f.severity == "block" for f in hits), hits
    soft = [f for f in checker.check_text(warning) if phrase in f.text or f.text in phrase]
    assert soft, "the finding is lowered, never hidden"
    assert all(f.severity == "warn" for f in soft), soft
    assert all(f"（出现在{kind}语境中，已降为警告）" in f.message for f in soft), soft


def test_context_model_keeps_block_when_a_contact_is_offered(checker):
    text = "警惕骗子！办理证件请找我们，代开发票加微信abc12345。"
    fs = [f for f in checker.check_text(text) if f.category in ("prohibited", "advertising")]
    assert any(f.severity == "block" for f in fs)


def test_context_model_never_lowers_a_marking_applied_to_the_document(checker):
    text = "秘密★1年\n关于加强保密教育、防范失泄密的通知\n各单位要严禁泄密。"
    fs = found(checker, text, "secret", ("block",))
    assert fs and fs[0].text.startswith("秘密★")
    text = "宣传防范电信网络诈骗知识，提醒老人不轻信陌生来电。本通知密级：机密★5年。"
    assert found(checker, text, "secret", ("block",))


def test_context_model_window_stays_in_the_paragraph(checker):
    text = "警惕诈骗，谨防上当受骗。\n专业代开发票，量大从优。"
    fs = [f for f in checker.check_text(text) if "代开发票" in f.text]
    assert fs and fs[0].severity == "block"


def test_context_model_in_html(checker):
    html = ("<h1>谨防诈骗</h1><p>公安机关提醒：警惕以“代开发票”为名的诈骗。</p>"
            "<p>不法分子常以“代开发票”为名实施诈骗，切勿轻信。</p>")
    res = checker.check_html(html)
    assert res.findings and not res.has_block


# --- political: titles, dated offices, sessions, plans, organ names ----------------------

D2024 = datetime.date(2024, 6, 1)


@pytest.mark.parametrize("text,rule", [
    ("国家主席、中共中央总书记、中央军委主席习近平出席会议", "political.leader_title_order"),
    ("李克强总理主持召开国务院常务会议", "political.leader_tenure"),
    ("栗战书委员长出席会议", "political.leader_tenure"),
    ("国务院总理李克强主持会议", "political.leader_tenure"),
    ("习近平国家主席会见外宾", "political.leader_title_form"),
    ("习近平同志总书记强调", "political.leader_title_form"),
    ("习近平、赵乐际、李强、王沪宁出席会议", "political.leader_order"),
    ("学习贯彻党的二十大三中全会精神", "political.session"),
    ("2024年召开的十四届全国人大三次会议", "political.session"),
    ("全国人大十四届二次会议胜利闭幕", "political.session"),
    ("十四届全国政协二次会议开幕", "political.session"),
    ("二十届八中全会", "political.session"),
    ("认真贯彻十四五计划部署", "political.session"),
    ("“十四五”时期（2020—2025年）", "political.session"),
    ("国家统计总局发布数据", "political.organ_name"),
    ("国家市场监督管理局召开会议", "political.organ_name"),
    ("坚决维护以习近平为核心的党中央权威", "political.lexicon"),
    ("中共中央办公听印发通知", "political.organ_name"),
    ("最高人民检查院工作报告", "political.organ_name"),
])
def test_political_v2_positives(checker, text, rule):
    assert rule in rules(found(checker, text, "political", as_of=D2024))


@pytest.mark.parametrize("text", [
    "中共中央总书记、国家主席、中央军委主席习近平出席会议",
    "2019年，李克强总理在政府工作报告中指出",
    "时任国务院总理李克强出席",
    "国务院总理李强主持召开国务院常务会议",
    "习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希出席会议",
    "2024年7月召开的党的二十届三中全会",
    "十四届全国人大二次会议于2024年3月召开",
    "全国政协十四届二次会议",
    "“十四五”时期（2021—2025年）",
    "第十个五年计划顺利完成",
    "国家统计局发布数据",
    "国家监察委员会主任出席",
    "由国家财政部门拨付事业经费的单位",
    "省委十一届五中全会在成都召开",
    "省政协十二届三次会议开幕",
    "省十四届人大二次会议于2024年1月召开",
    "党的十三届八中全会的决定",
    "第十三届全国人民代表大会第五次会议听取和审议了国务院总理李克强所作的政府工作报告",
])
def test_political_v2_near_misses(checker, text):
    assert not found(checker, text, "political", as_of=D2024)


def test_offices_depend_on_the_date_of_the_text(checker):
    text = "韩正副总理出席会议"
    assert found(checker, text, "political", as_of=datetime.date(2024, 6, 1))
    assert not found(checker, text, "political", as_of=datetime.date(2020, 6, 1))
    li = "李克强总理主持会议"
    assert not found(checker, li, "political", as_of=datetime.date(2019, 5, 1))
    dated = found(checker, li, "political", as_of=datetime.date(2024, 5, 1))
    assert dated[0].severity == "block" and "现任为李强" in dated[0].message
    undated = found(checker, li, "political")
    assert undated[0].severity == "warn"  # without the text's date an archive page may be meant


def test_a_leader_named_before_taking_office(checker):
    fs = found(checker, "王沪宁主席出席会议", "political", as_of=datetime.date(2020, 6, 1))
    assert fs and "尚未就任" in fs[0].message and fs[0].severity == "block"
    assert not found(checker, "王沪宁主席出席会议", "political", as_of=datetime.date(2024, 6, 1))


def test_sessions_not_yet_held_on_the_date_of_the_text(checker):
    text = "深入学习贯彻党的二十届三中全会精神"
    assert found(checker, text, "political", as_of=datetime.date(2024, 5, 1))
    assert not found(checker, text, "political", as_of=datetime.date(2024, 8, 1))


def test_as_of_reaches_html_and_module_functions():
    text = "<p>韩正副总理出席会议</p>"
    assert not [f for f in check_html(text, as_of=datetime.date(2020, 6, 1)).findings
                if f.category == "political"]
    assert [f for f in check_html(text, as_of=datetime.date(2024, 6, 1)).findings
            if f.category == "political"]


# --- 规范表述 --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,rule", [
    ("根据《民法典》相关规定，依法处理。", "wording.law_name"),
    ("本通知自2024.5.6起施行。", "wording.date_format"),
    ("成文日期：2024年05月06日", "wording.date_format"),
    ("24年5月完成验收。", "wording.date_format"),
    ("约有500人左右参加活动。", "wording.redundant"),
    ("增长幅度为20-30%。", "wording.number_range"),
])
def test_norms_positives(checker, text, rule):
    assert rule in rules(found(checker, text, "wording"))


@pytest.mark.parametrize("text", [
    "根据《中华人民共和国民法典》（以下简称《民法典》）规定，《民法典》第十条明确。",
    "发布时间：2024-05-06 10:20",
    "共3000余人，运送物资5千克。",
    "2024年5月6日",
    "增长20%～30%，2024-2025年度目标如期完成。",
])
def test_norms_near_misses(checker, text):
    assert not found(checker, text, "wording")


def test_title_punctuation_and_mixed_numbers_are_hints(checker):
    # Official prose itself writes “一国两制”、“港人治港” and 1万6千多户: a 提示, not a warning.
    fs = [f for f in checker.check_text("学习《中华人民共和国宪法》、《中华人民共和国民法典》")
          if f.rule == "wording.title_punct"]
    assert fs and fs[0].severity == "info" and fs[0].suggestion == "》《"
    fs = [f for f in checker.check_text("共有3千余人参加。") if f.rule == "wording.number_mixed"]
    assert fs and fs[0].severity == "info" and fs[0].suggestion == "3000"


# --- secrets --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "本文件属工作秘密，请勿外传",
    "（此件发至县团级）",
    "此件仅限党内传达",
    "内部资料 不得上网",
    "本文件为机密级，请妥善保管",
])
def test_secret_marks_positives(checker, text):
    assert found(checker, text, "secret", ("block",))


@pytest.mark.parametrize("text", [
    "工作秘密是指机关单位在公务活动中产生的不属于国家秘密但不宜公开的事项。",
    "（此件公开发布）",
])
def test_secret_marks_near_misses(checker, text):
    assert not found(checker, text, "secret", ("block",))


# --- personal data --------------------------------------------------------------------------

@pytest.mark.parametrize("text,rule,severity", [
    ("低保户王建国，住城关镇幸福村3组，患有尿毒症。", "privacy.sensitive_combo", "block"),
    ("信访人李明华，家住东湖路18号2单元301室，多次越级上访。", "privacy.sensitive_combo", "block"),
    ("村民张伟（男，52岁）因吸毒被行政拘留。", "privacy.sensitive_combo", "warn"),
    ("患者张某某，男，45岁，住幸福小区3栋2单元501室。", "privacy.sensitive_combo", "warn"),
    ("往来港澳通行证号码：C12345678", "privacy.travel_permit", "block"),
    ("回乡证号码H12345678", "privacy.travel_permit", "block"),
    ("台胞证号码：12345678", "privacy.travel_permit", "block"),
    ("请将款项转入银行卡6222 0212 3456 7890 123", "privacy.bank_card", "block"),
])
def test_privacy_v2_positives(checker, text, rule, severity):
    fs = [f for f in found(checker, text, "privacy") if f.rule == rule]
    assert fs and fs[0].severity == severity


@pytest.mark.parametrize("text", [
    "健全低保标准确定和调整机制，拓展救助对象范围，向困难群众发放生活补助。",
    "书面告知信访人向有权处理的国家机关提出。",
    "低保户王某某，家庭人口3人，保障金额600元。",
    "村民王建国主动捐款1万元。",
    "习近平总书记在住院部看望患者。",
])
def test_privacy_v2_near_misses(checker, text):
    assert not found(checker, text, "privacy")


# --- emotional opinion ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "家人们谁懂啊，这个政策太给力了",
    "小编今天被气到了，真是无语子",
    "纯属扯犊子，滚犊子",
    "这种做法我裂开了",
])
def test_opinion_v2_positives(checker, text):
    assert found(checker, text, "opinion")


@pytest.mark.parametrize("text", [
    "地面裂开了一道缝，相关部门已设置警示。",
    "尼玛次仁同志当选村委会主任。",
    "闻起来真香，群众纷纷点赞本地特色美食。",
])
def test_opinion_v2_near_misses(checker, text):
    assert not found(checker, text, "opinion")


# --- GB/T 9704 layout terms are no typos ---------------------------------------------------

def test_layout_terms_are_protected_from_the_typo_stage():
    c = build_checker(extra_rows=[("版记", "typo", "warn", "板记", "")])
    layout = "版记包括抄送机关、印发机关和印发日期，页码位于版心下边缘。"
    assert not [f for f in c.check_text(layout) if f.category == "typo"]
    # outside a text about the format, the (deliberately wrong) lexicon row still applies
    assert [f for f in c.check_text("这是版记。") if f.category == "typo"]


def test_cli_takes_the_date_of_the_text(tmp_path, capsys):
    from govpub.textcheck.cli import main

    p = tmp_path / "news.txt"
    p.write_text("韩正副总理出席会议。", "utf-8")
    assert main([str(p), "--date", "2020-06-01"]) == 0
    assert "未发现问题" in capsys.readouterr().out
    assert main([str(p), "--date", "2024-06-01"]) == 1
    assert "韩正" in capsys.readouterr().out
    assert main([str(p), "--date", "2024年6月1日"]) == 2
    assert "格式不正确" in capsys.readouterr().err
