from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("toegangsgeschiedenis/", views.access_history, name="access_history"),
    path("noodtoegang/", views.emergency_request, name="emergency_request"),
    path("noodtoegang/overzicht/", views.emergency_list, name="emergency_list"),
    path("bewaartermijnen/", views.retention_settings, name="retention_settings"),
    path("vernietiging/", views.destruction_index, name="destruction_index"),
    path("vernietiging/voorstellen/", views.destruction_propose, name="destruction_propose"),
    path("vernietiging/<int:pk>/", views.destruction_detail, name="destruction_detail"),
    path(
        "vernietiging/<int:pk>/goedkeuren/", views.destruction_approve, name="destruction_approve"
    ),
    path("vernietiging/<int:pk>/uitvoeren/", views.destruction_execute, name="destruction_execute"),
    path("inzageverzoeken/", views.access_request_list, name="access_request_list"),
    path(
        "inzageverzoeken/nieuw/<int:subject_pk>/",
        views.access_request_new,
        name="access_request_new",
    ),
    path("inzageverzoeken/<int:pk>/", views.access_request_detail, name="access_request_detail"),
    path(
        "inzageverzoeken/<int:pk>/export.<str:fmt>",
        views.access_request_export,
        name="access_request_export",
    ),
    path("informeren/<int:subject_pk>/", views.informing_record, name="informing_record"),
    path("woo/", views.woo_list, name="woo_list"),
    path("woo/<int:pk>/", views.woo_meeting, name="woo_meeting"),
    path("woo/<int:pk>/pdf/", views.woo_pdf, name="woo_pdf"),
]
