"""Three-way merge of an edit that started from an older revision (no lost work, issue 16).

When someone else saved while an editor was typing, the editor's save is refused; the form comes back
with every field the editor did not touch brought up to the other person's version, the editor's own
changes kept, and the fields both of them changed named, so nothing either person wrote is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .sanitize import sanitize_html

LIST_FIELDS = ("targets", "keep_attachments")


def _normal(name: str, value):
    if name in LIST_FIELDS:
        return sorted(str(v) for v in value or [])
    if name == "body_html":
        return sanitize_html(value or "")
    if isinstance(value, str):
        return value.strip()
    if value is None and name != "written_on" and name != "cover_id":
        return ""
    return value


@dataclass
class Merge:
    values: dict
    theirs: list[str] = field(default_factory=list)  # changed only by the other person: taken from theirs
    both: list[str] = field(default_factory=list)  # changed differently by both: the editor's value kept


def merge(base: dict, current: dict, mine: dict) -> Merge:
    """Field by field: whoever changed a field wins; where both did, the editor's typing is kept."""
    result = Merge(values={})
    for name, value in mine.items():
        b, c, m = (_normal(name, v) for v in (base.get(name), current.get(name), value))
        if m == b and c != b:
            result.values[name] = current.get(name)
            result.theirs.append(name)
        else:
            result.values[name] = value
            if c != b and c != m:
                result.both.append(name)
    return result
