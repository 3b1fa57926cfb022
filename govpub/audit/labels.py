"""Chinese names for audit event codes and their detail fields, for the people who read the log.

The codes stay English in the table (they are the stable interface of the chain and of exports);
the page shows these labels and filters by them. tests/test_audit_labels.py fails when an event code
written anywhere in govpub/ has no label here.
"""

from __future__ import annotations

EVENT_LABELS: dict[str, str] = {
    # accounts and sign-in
    "auth.login": "登录", "auth.login_failed": "登录失败", "auth.reauth": "再次验证身份",
    "auth.reauth_failed": "再次验证身份失败", "auth.session_replaced": "新登录结束旧会话",
    "auth.session_superseded": "会话被新登录替代",
    "2fa.enrolled": "启用双因素认证", "2fa.reset": "重置双因素认证", "2fa.verified_failed": "验证码错误",
    "2fa.recovery_used": "使用恢复码", "2fa.recovery_regenerated": "重新生成恢复码",
    "2fa.code_disclosed": "查看他人验证码（演示）",
    "person.create": "新建人员", "person.activate": "启用账号", "person.deactivate": "停用账号",
    "person.password_change": "修改密码", "person.bootstrap_admin": "创建首个管理员",
    "role.grant": "授予职责", "role.revoke": "撤销职责",
    "api.token_create": "创建接口令牌", "api.token_revoke": "吊销接口令牌",
    # units and channels
    "unit.create": "新建单位", "unit.update": "修改单位", "unit.suspend": "暂停单位发布权限",
    "unit.lift_suspension": "恢复单位发布权限", "unit.suspension_origin": "记录暂停来源",
    "unit.confidentiality_review": "设置保密审查机制",
    "channel.create": "登记渠道", "channel.update": "修改渠道", "channel.status": "变更渠道状态",
    "channel.credentials_set": "设置渠道接口凭据", "column.create": "新建栏目",
    "content_list.add": "增加发布内容清单条目", "content_list.deactivate": "停用发布内容清单条目",
    "site.identity": "修改网站标识信息",
    "lexicon.add": "增加词条", "lexicon.deactivate": "停用词条", "lexicon.import": "导入词表",
    # items, review, publishing
    "item.create": "新建信息", "item.revise": "修改信息", "item.attachment": "上传附件", "item.submit": "送审",
    "item.publish": "发布", "item.schedule": "定时发布", "item.schedule_cancel": "取消定时发布",
    "item.schedule_refused": "定时发布未执行", "item.withdraw": "撤稿",
    "finding.apply": "采纳机审建议", "finding.dismiss": "忽略机审问题",
    "review.decision": "审核决定", "review.void": "审核流程作废", "review.annotate": "审核批注",
    "publication.delivered": "已发送到平台", "publication.held_back": "发送被拦下",
    "publication.publish_failed": "发送失败", "publication.withdraw_failed": "从平台撤下失败",
    "publication.republish": "重新发送", "publication.rewithdraw": "重新撤下",
    "publication.remote_withdrawn": "已从平台撤下",
    "publication.manual_post": "登记人工发布", "publication.manual_withdraw": "登记人工撤下",
    # supervision
    "ticket.assign": "交办问题", "ticket.accept": "签收交办", "ticket.report": "报送整改情况",
    "ticket.verify": "核验整改", "ticket.send_back": "退回整改", "ticket.remind": "催办",
    "ticket.overdue": "整改逾期", "ticket.order_rectification": "下达整改令", "ticket.shutdown": "关停渠道",
    "ticket.lift": "解除措施",
    "monitor.website": "网站监测", "monitor.accounts": "新媒体账号监测", "monitor.rescan": "全量重新检查",
    "monitor.start": "启动监测",
    "monitor.scan": "临时检查网站",
    "inspection.plan": "制定督查计划", "inspection.sample": "督查抽样", "inspection.review": "督查复核",
    "incident.record": "登记问责事项", "incident.decide": "作出问责决定",
    "indicators.version": "发布考核指标版本", "indicators.score": "评分", "assessment.weights": "设置考核权重",
}

DETAIL_LABELS: dict[str, str] = {
    "ip": "IP 地址", "user_agent": "浏览器", "reason": "理由", "username": "账号", "full_name": "姓名",
    "role": "职责", "person": "人员", "unit": "单位", "name": "名称", "short_name": "简称", "title": "标题",
    "state": "状态", "previous_state": "原状态", "kind": "类别", "channel": "渠道", "column": "栏目",
    "category": "类别", "responsible_unit": "责任单位", "update_interval_days": "更新周期（天）",
    "slug": "栏目代码", "parent": "上级", "revision": "版本", "hash": "内容指纹", "run": "审核流程",
    "step": "审核环节", "decision": "决定", "comment": "意见", "checklist": "审核要点", "steps": "审核环节",
    "targets": "发布目标", "publications": "发布记录", "code": "代码", "message": "说明",
    "attempts": "尝试次数", "has_confidentiality_review": "保密审查机制", "forced": "强制",
    "origin": "来源", "suspension": "暂停", "url": "网址", "pages": "页数", "count": "数量", "rule": "规则",
    "text": "文字", "finding": "机审问题", "file": "文件", "note": "备注", "at": "时间", "to": "至",
    "from": "自", "number": "编号", "via": "方式", "remote_id": "平台编号", "problems": "问题",
    "accounts": "账号", "added": "新增", "row": "行", "rows": "行数", "ok": "结果", "silent": "无更新",
    "must_change_password": "须修改密码", "had_device": "原有验证器", "re_enrolment": "重新绑定",
    "recovery_codes": "恢复码", "remaining": "剩余", "failures": "失败次数", "established": "建立",
    "installed": "安装", "demo": "演示", "bootstrap": "初始化", "fields": "修改的字段", "previous": "原值",
    "proofread_ok": "校对完成", "confidentiality_ok": "保密审查通过", "point_notes": "审核要点说明", "quote": "所批原文",
}


def event_label(code: str) -> str:
    return EVENT_LABELS.get(code, code)


def detail_rows(details, labels: dict[str, str] = DETAIL_LABELS) -> list[tuple[str, str]]:
    """A details dict as (Chinese label, readable value) rows; nested dicts read as 'label：value；…'.
    labels: the field names to use (the page adds those of apps above audit, e.g. the review checklist)."""
    if not isinstance(details, dict):
        return [("详情", str(details))]
    return [(labels.get(key, key), _readable(value, labels)) for key, value in details.items()]


def _readable(value, labels) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "；".join(f"{labels.get(k, k)}：{_readable(v, labels)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(_readable(v, labels) for v in value)
    return str(value)


def codes_for_label(query: str) -> list[str]:
    """Event codes whose label contains the words typed (the filter asks in Chinese, not in codes)."""
    query = query.strip()
    return [code for code, label in EVENT_LABELS.items() if query and query in label]
