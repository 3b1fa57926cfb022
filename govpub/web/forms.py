from django.core.exceptions import ValidationError


def add_form_errors(form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: field errors at their fields, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
