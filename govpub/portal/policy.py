"""Who may change what the public site says about itself."""

from govpub.orgs import policy as orgs_policy

IDENTITY_REFUSAL = "只有系统管理员可以修改网站标识信息。"


def identity_refusal(user) -> str | None:
    return None if orgs_policy.is_admin(user) else IDENTITY_REFUSAL
