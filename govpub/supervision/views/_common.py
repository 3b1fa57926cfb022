"""What several supervision pages share: the default period (last quarter) of the scores and the bulletin."""

from __future__ import annotations


def _last_quarter(today):
    import datetime as dt

    first_month = ((today.month - 1) // 3) * 3 + 1
    this_quarter = dt.date(today.year, first_month, 1)
    end = this_quarter - dt.timedelta(days=1)
    return dt.date(end.year, ((end.month - 1) // 3) * 3 + 1, 1), end
