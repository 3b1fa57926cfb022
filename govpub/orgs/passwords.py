from django.contrib.auth.password_validation import MinimumLengthValidator as _MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class CharacterClassValidator:
    """The password must mix at least N of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum([
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ])

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                "密码须至少包含小写字母、大写字母、数字、符号中的 %(n)d 类。",
                code="password_too_simple", params={"n": self.min_classes},
            )

    def get_help_text(self):
        return f"密码须至少包含小写字母、大写字母、数字、符号中的 {self.min_classes} 类。"


class MinimumLengthValidator(_MinimumLengthValidator):
    """Django 5.2 changed this message's msgid and its zh-hans catalog lacks the new one."""

    def get_error_message(self):
        return gettext("密码长度太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return gettext("密码至少需要 %(n)d 个字符。") % {"n": self.min_length}
