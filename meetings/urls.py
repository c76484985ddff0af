from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("overleg/<int:pk>/", views.body_detail, name="body_detail"),
    path("overleg/<int:pk>/genereren/", views.meetings_generate, name="meetings_generate"),
    path("overleg/<int:pk>/extra/", views.meeting_create_extra, name="meeting_create_extra"),
    path("overleg/<int:pk>/actie/", views.action_add, name="action_add"),
    path("overleg/<int:pk>/achteraf/", views.meeting_record_past, name="meeting_record_past"),
    path("actie/<int:action_pk>/", views.action_detail, name="action_detail"),
    path("actie/<int:action_pk>/afgerond/", views.action_done, name="action_done"),
    path("actie/<int:action_pk>/heropenen/", views.action_reopen, name="action_reopen"),
    path("actie/<int:action_pk>/verwijderen/", views.action_remove, name="action_remove"),
    path("actie/<int:action_pk>/wijzigen/", views.action_update, name="action_update"),
    path("overleg/<int:pk>/termijnagenda/", views.forward_add, name="forward_add"),
    path("overleg/<int:pk>/termijnagenda/wijzigen/", views.forward_update, name="forward_update"),
    path(
        "overleg/<int:pk>/termijnagenda/verwijderen/", views.forward_remove, name="forward_remove"
    ),
    path("vergadering/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("vergadering/<int:pk>/verplaatsen/", views.meeting_reschedule, name="meeting_reschedule"),
    path("vergadering/<int:pk>/actie/", views.meeting_action_add, name="meeting_action_add"),
    path("vergadering/<int:pk>/agenderen/", views.agenda_place, name="agenda_place"),
    path("vergadering/<int:pk>/agendapunt/", views.agenda_item_add, name="agenda_item_add"),
    path("vergadering/<int:pk>/onderdeel/", views.section_add, name="section_add"),
    path("vergadering/<int:pk>/volgorde/", views.agenda_reorder, name="agenda_reorder"),
    path("vergadering/<int:pk>/verplaatsen-naar/", views.agenda_item_move, name="agenda_item_move"),
    path(
        "vergadering/<int:pk>/agendapunt/<int:item_pk>/schuiven/",
        views.agenda_item_shift,
        name="agenda_item_shift",
    ),
    path("vergadering/<int:pk>/versturen/", views.agenda_distribute, name="agenda_distribute"),
    path("vergadering/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("vergadering/<int:pk>/verslag.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("vergadering/<int:pk>/vergadering.ics", views.meeting_ics, name="meeting_ics"),
    path("vergadering/<int:pk>/verslag/", views.meeting_minutes, name="meeting_minutes"),
    path(
        "vergadering/<int:pk>/verslag/aanwezigheid/", views.attendance_save, name="attendance_save"
    ),
    path("vergadering/<int:pk>/verslag/vaststellen/", views.minutes_adopt, name="minutes_adopt"),
    path(
        "vergadering/<int:pk>/verslag/punt/<int:item_pk>/",
        views.item_minutes_save,
        name="item_minutes_save",
    ),
    path(
        "vergadering/<int:pk>/verslag/punt/<int:item_pk>/besluit/",
        views.decision_record,
        name="decision_record",
    ),
    path(
        "vergadering/<int:pk>/verslag/besluit/<int:decision_pk>/",
        views.decision_correct,
        name="decision_correct",
    ),
    path(
        "vergadering/<int:pk>/verslag/punt/<int:item_pk>/accorderen/",
        views.plan_accord,
        name="plan_accord",
    ),
    path("agendapunt/<int:item_pk>/", views.item_detail, name="item_detail"),
    path("agendapunt/<int:item_pk>/tijdslot.ics", views.item_ics, name="item_ics"),
    path("agendapunt/<int:item_pk>/stukken/", views.item_documents, name="item_documents"),
]
