"""Spreadsheet cells that cannot become formulas (CSV/formula injection).

A unit name, title or comment typed by a user ends up in the .xlsx exports. openpyxl turns any string that
starts with "=" into a live formula, and Excel or LibreOffice evaluate a text cell starting with = + - @
(or a leading tab/CR) as one when it is edited or re-saved as CSV — `=HYPERLINK("http://evil","x")` in a
unit name would be a clickable link in the bulletin. Every exporter writes its rows through these helpers:
text is stored as a string cell, and a dangerous one is also marked quotePrefix (Excel's leading
apostrophe), so it stays text even when edited; numbers, dates and None are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def set_text(cell, value) -> None:
    """Write `value` into an openpyxl cell; a string is always a string cell, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_dangerous(value):
            cell.quotePrefix = True


def append_row(sheet, values: Iterable) -> None:
    """sheet.append(values), with every string cell of the new row kept as text."""
    values = list(values)
    sheet.append(values)
    row = sheet.max_row  # append writes below the last used row, so the new row is the last one
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            set_text(sheet.cell(row=row, column=column), value)
