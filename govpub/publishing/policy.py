from govpub.orgs import policy as orgs_policy
from govpub.orgs.models import Role


def can_view_publication(user, publication) -> bool:
    """Whoever sees the item, and the people of the unit operating the account it goes to."""
    from govpub.content.policy import can_view_item

    return (can_view_item(user, publication.item)
            or publication.channel.operator_unit_id in orgs_policy.content_unit_ids(user))


def can_publish(user, item) -> bool:
    """第六条(四): the unit's editors carry out publishing."""
    return orgs_policy.has_role(user, Role.EDITOR, item.unit_id)


def can_withdraw(user, item) -> bool:
    """The unit's responsible people, and the supervisor as a remedy (第十二条)."""
    if orgs_policy.is_supervisor(user):
        return True
    return any(orgs_policy.has_role(user, role, item.unit_id)
               for role in (Role.EDITOR, Role.OFFICE_HEAD, Role.DEPUTY, Role.PRINCIPAL))


def editor_unit_ids(user) -> set[int]:
    return {unit_id for unit_id, role in orgs_policy.active_roles(user) if role == Role.EDITOR}


def can_post_manually(user, publication) -> bool:
    """谁开设、谁主办: the operator unit's editors post to its accounts by hand."""
    return publication.channel.operator_unit_id in editor_unit_ids(user)


PUBLISH_REFUSAL = "只有本单位的经办人可以发布稿件（第六条(四)）。"
CREDENTIALS_REFUSAL = "只有系统管理员可以设置渠道接口凭据。"


def can_set_credentials(user) -> bool:
    return orgs_policy.is_admin(user)


def publish_state_refusal(item) -> str:
    return f"稿件当前状态为“{item.get_state_display()}”，只有审核通过的稿件可以发布。"
