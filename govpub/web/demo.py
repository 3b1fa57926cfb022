"""Demo data for 鄂州市临空经济区 (`govpub demo`). Idempotent: running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.db import transaction

from govpub.channels import actions as channel_actions
from govpub.channels.models import Channel, ChannelKind, ContentListEntry
from govpub.orgs import actions as org_actions
from govpub.orgs.models import Person, Role, RoleAssignment, Unit, UnitKind
from govpub.web.demo_content import seed_demo_content

DEMO_PASSWORD = os.environ.get("GOVPUB_DEMO_PASSWORD", "Govpub@2026demo")

DISTRICT = "鄂州市临空经济区管理委员会"
OPEN_OFFICE = "区政务公开办"
PARTY_OFFICE = "区党政办公室"

UNITS = [
    (DISTRICT, "管委会", UnitKind.DISTRICT),
    (OPEN_OFFICE, "政务公开办", UnitKind.OPEN_OFFICE),
    (PARTY_OFFICE, "党政办", UnitKind.DEPARTMENT),
    ("区发展改革局", "发改局", UnitKind.DEPARTMENT),
    ("区财政局", "财政局", UnitKind.DEPARTMENT),
    ("区自然资源和规划局", "自规局", UnitKind.DEPARTMENT),
    ("区住房和城乡建设局", "住建局", UnitKind.DEPARTMENT),
    ("区卫生健康局", "卫健局", UnitKind.DEPARTMENT),
    ("燕矶镇人民政府", "燕矶镇", UnitKind.TOWNSHIP),
    ("杨叶镇人民政府", "杨叶镇", UnitKind.TOWNSHIP),
    ("沙窝乡人民政府", "沙窝乡", UnitKind.TOWNSHIP),
    ("新庙镇人民政府", "新庙镇", UnitKind.TOWNSHIP),
    ("区市场监督管理分局", "市场监管分局", UnitKind.DUAL),
]
# 沙窝乡 has not yet set up its confidentiality review, so it shows the 第十二条 block.
WITHOUT_REVIEW = {"沙窝乡人民政府"}

# (username, full name, job title, unit, role)
PEOPLE = [
    ("demo-admin", "管理员", "系统管理员", PARTY_OFFICE, Role.ADMIN),
    ("demo-editor", "王晓明", "科员", PARTY_OFFICE, Role.EDITOR),
    ("demo-editor2", "李娜", "科员", PARTY_OFFICE, Role.EDITOR),
    ("demo-office-head", "张建国", "综合科科长", PARTY_OFFICE, Role.OFFICE_HEAD),
    ("demo-deputy", "陈志强", "党政办副主任", PARTY_OFFICE, Role.DEPUTY),
    ("demo-principal", "刘振华", "党政办主任", PARTY_OFFICE, Role.PRINCIPAL),
    ("demo-supervisor", "赵敏", "政务公开办干部", OPEN_OFFICE, Role.SUPERVISOR),
    ("yanji-editor", "孙丽", "党政办科员", "燕矶镇人民政府", Role.EDITOR),
    ("yanji-office-head", "周涛", "党政办主任", "燕矶镇人民政府", Role.OFFICE_HEAD),
    ("yanji-deputy", "吴刚", "副镇长", "燕矶镇人民政府", Role.DEPUTY),
    ("yanji-principal", "郑红", "镇长", "燕矶镇人民政府", Role.PRINCIPAL),
    ("health-editor", "冯雪", "办公室科员", "区卫生健康局", Role.EDITOR),
]

WEBSITE = "鄂州市临空经济区管理委员会网站"
# (slug, name, parent slug, responsible unit, category, update interval in days)
COLUMNS = [
    ("gzdt", "工作动态", None, PARTY_OFFICE, "全区重要工作动态", 14),
    ("tzgg", "通知公告", None, PARTY_OFFICE, "通知、公告、公示", 180),
    ("zcwj", "政策文件", None, PARTY_OFFICE, "管委会及办公室规范性文件", 180),
    ("zcjd", "政策解读", None, PARTY_OFFICE, "政策文件的解读材料", 180),
    ("xzdt", "乡镇动态", None, "燕矶镇人民政府", "乡镇工作动态", 14),
    ("bmdt", "部门动态", None, "区卫生健康局", "部门工作动态", 14),
    ("zfxxgk", "政府信息公开", None, OPEN_OFFICE, "政府信息公开专栏", None),
    ("gkzn", "政府信息公开指南", "zfxxgk", OPEN_OFFICE, "公开指南", 365),
    ("fdzdgknr", "法定主动公开内容", "zfxxgk", PARTY_OFFICE, "机构职能、规划计划、财政预决算等", 90),
    ("gknb", "政府信息公开年报", "zfxxgk", OPEN_OFFICE, "年度报告", 365),
    ("hdjl", "互动交流", None, PARTY_OFFICE, "领导信箱、意见征集", 30),
]

# (name, kind, sponsor, operator, account id, verified entity, opened on)
ACCOUNTS = [
    ("临空经济区发布", ChannelKind.WECHAT, DISTRICT, PARTY_OFFICE, "gh_lkjjq_fabu", DISTRICT, dt.date(2019, 3, 1)),
    ("临空经济区发布", ChannelKind.WEIBO, DISTRICT, PARTY_OFFICE, "7712345678", DISTRICT, dt.date(2019, 5, 20)),
    ("i临空", ChannelKind.APP, DISTRICT, PARTY_OFFICE, "com.ezhou.lkjjq", DISTRICT, dt.date(2022, 9, 1)),
    ("燕矶发布", ChannelKind.WECHAT, "燕矶镇人民政府", "燕矶镇人民政府", "gh_yanji", "燕矶镇人民政府", dt.date(2020, 4, 8)),
    ("杨叶镇", ChannelKind.DOUYIN, "杨叶镇人民政府", "杨叶镇人民政府", "yangye_gov", "杨叶镇人民政府", dt.date(2021, 6, 15)),
    ("临空健康", ChannelKind.WECHAT, "区卫生健康局", "区卫生健康局", "gh_lk_health", "区卫生健康局", dt.date(2020, 2, 10)),
    ("临空发改", ChannelKind.TOUTIAO, "区发展改革局", "区发展改革局", "lk_fagai", "区发展改革局", dt.date(2021, 1, 5)),
]


def _ensure_units(admin) -> dict[str, Unit]:
    units = {}
    for name, short, kind in UNITS:
        unit = Unit.objects.filter(name=name).first()
        if unit is None:
            unit = org_actions.create_unit(acting_user=admin, name=name, short_name=short, kind=kind,
                                           has_confidentiality_review=name not in WITHOUT_REVIEW)
        units[name] = unit
    return units


def _ensure_admin() -> Person:
    admin = Person.objects.filter(username="demo-admin").first()
    if admin is not None:
        return admin
    unit = Unit.objects.filter(name=PARTY_OFFICE).first()
    if unit is None:
        # The first unit has to exist before anyone can administer it; created and audited here.
        from govpub.audit import log as audit

        with transaction.atomic(durable=True):
            unit = Unit.objects.create(name=PARTY_OFFICE, short_name="党政办", kind=UnitKind.DEPARTMENT,
                                       has_confidentiality_review=True)
            audit.record("unit.create", obj=unit, unit=unit, details={"name": unit.name, "bootstrap": True})
    return org_actions.bootstrap_admin(unit=unit, username="demo-admin", full_name="管理员", password=DEMO_PASSWORD)


def _ensure_people(admin, units):
    people = {}
    for username, full_name, title, unit_name, role in PEOPLE:
        person = Person.objects.filter(username=username).first()
        if person is None:
            person = org_actions.create_person(acting_user=admin, username=username, full_name=full_name,
                                               password=DEMO_PASSWORD, job_title=title,
                                               email=f"{username}@lkjjq.example.gov.cn")
        unit = units[unit_name]
        if not RoleAssignment.objects.active().filter(person=person, unit=unit, role=role).exists():
            org_actions.grant_role(acting_user=admin, person=person, unit=unit, role=role)
        people[username] = person
    return people


def _ensure_website(admin, units, people, site_url: str):
    url = site_url.rstrip("/") + "/"
    site = Channel.objects.filter(kind=ChannelKind.WEBSITE, name=WEBSITE).first()
    if site is None:
        site = channel_actions.create_channel(
            acting_user=admin, kind=ChannelKind.WEBSITE, name=WEBSITE, sponsor_unit=units[DISTRICT],
            operator_unit=units[PARTY_OFFICE], opened_on=dt.date(2015, 1, 1), url=url,
            site_code="4207000041", verified_entity=DISTRICT)
    elif site.url != url:  # the demo was served at another address before (or by an older version)
        site = channel_actions.update_channel(site, acting_user=admin, url=url)
    for position, (slug, name, parent_slug, unit_name, category, interval) in enumerate(COLUMNS):
        column = site.columns.filter(slug=slug).first()
        if column is None:
            parent = site.columns.get(slug=parent_slug) if parent_slug else None
            column = channel_actions.create_column(acting_user=admin, channel=site, name=name, slug=slug,
                                                   parent=parent, position=position * 10)
        if not ContentListEntry.objects.filter(channel=site, column=column).exists():
            channel_actions.add_content_list_entry(
                acting_user=admin, channel=site, column=column, category=category,
                responsible_unit=units[unit_name], update_interval_days=interval,
                responsible_person=people["demo-office-head"] if unit_name == PARTY_OFFICE else None)
    return site


def _ensure_accounts(admin, units):
    for name, kind, sponsor, operator, account_id, entity, opened in ACCOUNTS:
        channel = Channel.objects.filter(kind=kind, name=name).first()
        if channel is None:
            channel = channel_actions.create_channel(
                acting_user=admin, kind=kind, name=name, sponsor_unit=units[sponsor], operator_unit=units[operator],
                account_id=account_id, verified_entity=entity, opened_on=opened)
            channel_actions.add_content_list_entry(
                acting_user=admin, channel=channel, category="政务信息、通知公告、政策解读",
                responsible_unit=units[operator], update_interval_days=14)


def seed_demo(site_url: str | None = None) -> dict:
    """Create the demo district. Returns the demo logins.

    site_url: where this GovPub serves its portal; the demo website channel points there, so the demo's
    monitoring crawls and probes this machine, never a real government domain."""
    admin = _ensure_admin()
    units = _ensure_units(admin)
    people = _ensure_people(admin, units)
    from govpub.twofactor.demo import ensure_demo_devices

    ensure_demo_devices(admin, people.values())  # the published demo TOTP secret, see README
    _ensure_website(admin, units, people, site_url or settings.GOVPUB_PUBLIC_BASE_URL)
    _ensure_accounts(admin, units)
    seed_demo_content()
    return {username: DEMO_PASSWORD for username in people}
