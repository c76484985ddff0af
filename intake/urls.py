from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("nieuw/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/corrigeren/", views.report_correct, name="report_correct"),
    path("<int:pk>/eerste-beoordeling/", views.report_triage, name="report_triage"),
    path("<int:pk>/duiding/", views.assessment_edit, name="assessment_edit"),
    path(
        "<int:pk>/informatieverzoek/",
        views.information_request_create,
        name="information_request_create",
    ),
    path(
        "<int:pk>/informatieverzoek/<int:request_pk>/antwoord/",
        views.information_request_answer,
        name="information_request_answer",
    ),
    path("<int:pk>/bekende-persoon/", views.person_search, name="person_search"),
    path(
        "<int:pk>/bekende-persoon/uitkomst/",
        views.person_check_create,
        name="person_check_create",
    ),
    path("<int:pk>/andere-aanpak/", views.approach_check_create, name="approach_check_create"),
    path("<int:pk>/advies/", views.report_advise, name="report_advise"),
    path("<int:pk>/klaar-voor-besluit/", views.report_mark_ready, name="report_mark_ready"),
    path("<int:pk>/heropenen/", views.report_reopen, name="report_reopen"),
    path("beoordelingskader/", views.framework_list, name="framework_list"),
    path("beoordelingskader/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("beoordelingskader/<int:pk>/kopie/", views.framework_copy, name="framework_copy"),
    path(
        "beoordelingskader/<int:pk>/in-gebruik/",
        views.framework_activate,
        name="framework_activate",
    ),
    path(
        "beoordelingskader/<int:pk>/vraag/",
        views.framework_question_edit,
        name="framework_question_create",
    ),
    path(
        "beoordelingskader/<int:pk>/vraag/<int:question_pk>/",
        views.framework_question_edit,
        name="framework_question_update",
    ),
]
