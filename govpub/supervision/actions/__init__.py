"""Every change in supervision, one module per subject; re-exported here so callers keep `actions.assign_ticket`."""

from .incidents import decide_accountability, record_incident
from .inspections import draw_sample, inspection_candidates, plan_inspection, review_sample, sample_ids
from .monitoring import (MONITORING_JOBS, SCAN_MAX_PAGES, WEBSITE_KINDS, check_accounts, record_rescan,
                         record_website_monitor, start_monitoring, start_site_scan)
from .scoring import compute_scores, save_assessment_weights, save_indicator_version
from .tickets import (
    REMIND_DAYS_BEFORE,
    accept_ticket,
    assign_ticket,
    mark_overdue_tickets,
    order_rectification,
    order_shutdown,
    record_lift_in_tickets,
    report_rectification,
    send_back,
    send_deadline_reminders,
    verify_ticket,
)

__all__ = [
    "MONITORING_JOBS",
    "REMIND_DAYS_BEFORE",
    "SCAN_MAX_PAGES",
    "WEBSITE_KINDS",
    "accept_ticket",
    "assign_ticket",
    "check_accounts",
    "compute_scores",
    "decide_accountability",
    "draw_sample",
    "inspection_candidates",
    "mark_overdue_tickets",
    "order_rectification",
    "order_shutdown",
    "plan_inspection",
    "record_incident",
    "record_lift_in_tickets",
    "record_rescan",
    "record_website_monitor",
    "report_rectification",
    "review_sample",
    "sample_ids",
    "save_assessment_weights",
    "save_indicator_version",
    "send_back",
    "send_deadline_reminders",
    "start_monitoring",
    "start_site_scan",
    "verify_ticket",
]
