from django.urls import path

from . import views

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/letter.docx", views.ticket_letter, name="ticket_letter"),
    path("tickets/<int:pk>/accept/", views.ticket_accept, name="ticket_accept"),
    path("tickets/<int:pk>/report/", views.ticket_report, name="ticket_report"),
    path("tickets/<int:pk>/verify/", views.ticket_verify, name="ticket_verify"),
    path("tickets/<int:pk>/send-back/", views.ticket_send_back, name="ticket_send_back"),
    path("tickets/<int:pk>/order/", views.ticket_order, name="ticket_order"),
    path("tickets/<int:pk>/shutdown/", views.ticket_shutdown, name="ticket_shutdown"),
    path("events/<int:pk>/file/", views.event_file, name="ticket_event_file"),
]

urlpatterns += [
    path("indicators/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:number>/", views.indicator_detail, name="indicator_version"),
    path("indicators/edit/", views.indicator_edit, name="indicator_edit"),
    path("scores/", views.score_list, name="score_list"),
    path("scores/<int:pk>/", views.score_detail, name="score_detail"),
]

urlpatterns += [
    path("monitor/", views.monitor_list, name="monitor_list"),
    path("monitor/start/", views.monitor_start, name="monitor_start"),
    path("monitor/scan/", views.monitor_scan, name="monitor_scan"),
    path("monitor/scans/<int:pk>/", views.monitor_scan_result, name="monitor_scan_result"),
    path("desk/", views.desk, name="supervision_desk"),
]

urlpatterns += [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/sample/", views.inspection_sample, name="inspection_sample"),
    path("inspection-samples/<int:pk>/review/", views.sample_review, name="sample_review"),
]

urlpatterns += [
    path("bulletin/", views.bulletin, name="bulletin"),
]

urlpatterns += [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("assessment/", views.assessment, name="assessment"),
]
