"""Who may see and change items. Content is visible to its unit's people and to the supervisors only."""

from __future__ import annotations

from govpub.orgs import policy as orgs_policy
from govpub.orgs.models import Role

from .models import EDITABLE_STATES, Item


# Refusals said once: the action raises them, the view that checks first shows the same words.
EDIT_ITEM_REFUSAL = "您不能修改该稿件（非本单位经办人，或稿件已结束流程）。"
CREATE_ITEM_REFUSAL = "只有本单位的经办人可以撰写稿件。"
EDITOR_TOOLS_REFUSAL = "只有经办人可以使用正文的粘贴清理和一键排版。"


def visible_items(user):
    if orgs_policy.is_supervisor(user):
        return Item.objects.all()
    return Item.objects.filter(unit_id__in=orgs_policy.content_unit_ids(user))


def can_view_item(user, item: Item) -> bool:
    return orgs_policy.is_supervisor(user) or item.unit_id in orgs_policy.content_unit_ids(user)


def can_view_attachment(user, attachment) -> bool:
    return can_view_item(user, attachment.item)


def can_view_finding(user, finding) -> bool:
    return can_view_item(user, finding.revision.item)


def can_create_item(user, unit) -> bool:
    return orgs_policy.has_role(user, Role.EDITOR, unit)


def editor_units(user):
    from govpub.orgs.models import Unit

    return Unit.objects.filter(pk__in={u for u, r in orgs_policy.active_roles(user) if r == Role.EDITOR})


def can_use_editor_tools(user) -> bool:
    """Cleaning a paste and 一键排版 only transform the HTML sent: whoever writes items in some unit may."""
    return any(role == Role.EDITOR for _, role in orgs_policy.active_roles(user))


def can_edit_item(user, item: Item) -> bool:
    return item.state in EDITABLE_STATES and orgs_policy.has_role(user, Role.EDITOR, item.unit_id)


def only_editor_unit(user):
    """The unit a person writes for when none is named: their one editor unit, else a refusal that says why."""
    from django.core.exceptions import ValidationError

    from govpub.orgs.policy import require

    units = list(editor_units(user).order_by("pk")[:2])
    require(bool(units), CREATE_ITEM_REFUSAL)
    if len(units) > 1:
        raise ValidationError({"unit": "您为多个单位撰稿，请用 unit 指明本稿件所属单位。"})
    return units[0]
