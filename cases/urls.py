from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/samenvatting/", views.case_summary, name="case_summary"),
    path("<int:pk>/samenvatting/pdf/", views.case_summary_pdf, name="case_summary_pdf"),
    path("<int:pk>/logboek/", views.logbook_add, name="logbook_add"),
    path("<int:pk>/logboek/<int:entry_pk>/", views.logbook_edit, name="logbook_edit"),
    path("<int:pk>/persoon/", views.subject_edit, name="subject_edit"),
    path("<int:pk>/netwerk/", views.subject_link_add, name="subject_link_add"),
    path("<int:pk>/basisdossier/", views.base_file_edit, name="base_file_edit"),
    path("<int:pk>/basisdossier/starten/", views.base_file_start, name="base_file_start"),
    path("<int:pk>/basisdossier/bijwerken/", views.base_file_upgrade, name="base_file_upgrade"),
    path("<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/indienen/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/plan/advies/", views.plan_advice, name="plan_advice"),
    path("<int:pk>/plan/definitief/", views.plan_final, name="plan_final"),
    path(
        "<int:pk>/plan/versie/<int:version_pk>/",
        views.plan_version_detail,
        name="plan_version_detail",
    ),
    path("<int:pk>/doel/", views.goal_edit, name="goal_create"),
    path("<int:pk>/doel/<int:goal_pk>/", views.goal_edit, name="goal_update"),
    path("<int:pk>/interventie/", views.intervention_edit, name="intervention_create"),
    path(
        "<int:pk>/interventie/<int:intervention_pk>/",
        views.intervention_edit,
        name="intervention_update",
    ),
    path("<int:pk>/contact/", views.contact_edit, name="contact_create"),
    path("<int:pk>/contact/<int:contact_pk>/", views.contact_edit, name="contact_update"),
    path("<int:pk>/uvo/", views.partner_meeting_create, name="partner_meeting_create"),
    path("<int:pk>/uvo/plannen/", views.partner_meeting_plan, name="partner_meeting_plan"),
    path(
        "<int:pk>/uvo/<int:meeting_pk>/gehouden/",
        views.partner_meeting_hold,
        name="partner_meeting_hold",
    ),
    path(
        "<int:pk>/uvo/<int:meeting_pk>/annuleren/",
        views.partner_meeting_cancel,
        name="partner_meeting_cancel",
    ),
    path(
        "<int:pk>/uvo/<int:meeting_pk>/uvo.ics",
        views.partner_meeting_ics,
        name="partner_meeting_ics",
    ),
    path(
        "<int:pk>/afspraak/<int:agreement_pk>/afgerond/",
        views.agreement_done,
        name="agreement_done",
    ),
    path("<int:pk>/evaluatie/", views.evaluation_create, name="evaluation_create"),
    path("<int:pk>/voorstel/", views.proposal_create, name="proposal_create"),
    path("notificatiebrieven/", views.letters_overview, name="letters_overview"),
    path("<int:pk>/brieven/", views.case_letters, name="case_letters"),
    path("<int:pk>/brieven/maken/", views.letters_generate, name="letters_generate"),
    path(
        "<int:pk>/brieven/<int:letter_pk>/verzonden/", views.letter_dispatch, name="letter_dispatch"
    ),
    path("<int:pk>/brieven/<int:letter_pk>/pdf/", views.letter_download, name="letter_download"),
    path("caseload/", views.caseload, name="caseload"),
    path("<int:pk>/toebedelen/", views.case_reassign, name="case_reassign"),
    path("partner/", views.partner_list, name="partner_list"),
    path("partner/interventie/<int:pk>/", views.partner_intervention, name="partner_intervention"),
    path(
        "partner/registratie/<int:user_pk>/",
        views.partner_registration,
        name="partner_registration",
    ),
    path("adresboek/", views.directory, name="directory"),
    path("adresboek/nieuw/", views.directory_edit, name="directory_create"),
    path("interventiepallet/", views.catalogue_list, name="catalogue_list"),
    path("interventiepallet/nieuw/", views.catalogue_edit, name="catalogue_create"),
    path("interventiepallet/<int:pk>/", views.catalogue_edit, name="catalogue_update"),
]
