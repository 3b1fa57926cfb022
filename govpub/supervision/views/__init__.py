"""Supervision's staff pages, one module per subject; re-exported here for urls.py (`views.ticket_list`)."""

from .bulletins import bulletin
from .incidents import incident_create, incident_detail, incident_list
from .inspections import inspection_create, inspection_detail, inspection_list, inspection_sample, sample_review
from .monitoring import desk, monitor_list, monitor_scan, monitor_scan_result, monitor_start
from .scoring import assessment, indicator_detail, indicator_edit, score_detail, score_list
from .tickets import (
    event_file,
    ticket_accept,
    ticket_create,
    ticket_detail,
    ticket_letter,
    ticket_list,
    ticket_order,
    ticket_report,
    ticket_send_back,
    ticket_shutdown,
    ticket_verify,
)

__all__ = [
    "assessment",
    "bulletin",
    "event_file",
    "incident_create",
    "incident_detail",
    "incident_list",
    "indicator_detail",
    "indicator_edit",
    "inspection_create",
    "inspection_detail",
    "inspection_list",
    "inspection_sample",
    "desk",
    "monitor_list",
    "monitor_scan",
    "monitor_scan_result",
    "monitor_start",
    "sample_review",
    "score_detail",
    "score_list",
    "ticket_accept",
    "ticket_create",
    "ticket_detail",
    "ticket_letter",
    "ticket_list",
    "ticket_order",
    "ticket_report",
    "ticket_send_back",
    "ticket_shutdown",
    "ticket_verify",
]
