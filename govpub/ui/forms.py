from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_form_errors(form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: field errors at their fields, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class Refused:
    """What run_form_action returns when the form or the action said no (falsy; the form holds why)."""

    def __bool__(self) -> bool:
        return False


REFUSED = Refused()


def run_form_action(request, form, action: Callable[[dict], Any],
                    success: str | Callable[[Any], str] | None = None) -> Any:
    """The staff views' one pattern: on a POST whose form is valid, run action(cleaned_data); a
    ValidationError from the action is shown on the form (nothing the person typed is lost), success
    adds a message (text, or a function of the action's result).

    Returns the action's result (True when it returns nothing), or REFUSED (falsy) when this was not
    a POST, the form was invalid or the action refused: the view then renders the form again."""
    if request.method != "POST" or not form.is_valid():
        return REFUSED
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        add_form_errors(form, error)
        return REFUSED
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True if result is None else result


def run_action(request, action: Callable[[], Any], success: str | Callable[[Any], str] | None = None,
               failed: str = "") -> Any:
    """The buttons' pattern (a POST with no form to show again): run action(); a ValidationError becomes
    an error message (after `failed`, e.g. "不能提交审核："), success adds a message.

    Returns the action's result (True when it returns nothing), or REFUSED (falsy)."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, failed + " ".join(error.messages))
        return REFUSED
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True if result is None else result
