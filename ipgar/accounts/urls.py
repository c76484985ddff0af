from django.urls import path

from ipgar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/tweede-factor/", views.second_factor, name="second_factor"),
    path("inloggen/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("beheer/gebruikers/", views.user_list, name="user_list"),
    path("beheer/gebruikers/nieuw/", views.user_create, name="user_create"),
    path("beheer/gebruikers/<int:pk>/", views.user_update, name="user_update"),
    path(
        "beheer/gebruikers/<int:pk>/activeringscode/",
        views.user_activation_code,
        name="user_activation_code",
    ),
    path(
        "beheer/gebruikers/<int:pk>/tweede-factor-intrekken/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path("beheer/goedkeuringen/", views.role_request_list, name="role_request_list"),
    path("beheer/goedkeuringen/<int:pk>/", views.role_request_decide, name="role_request_decide"),
    path("beheer/rolwijzigingen/", views.role_change_list, name="role_change_list"),
    path("beheer/organisaties/", views.organisation_list, name="organisation_list"),
    path("beheer/organisaties/nieuw/", views.organisation_edit, name="organisation_create"),
    path("beheer/organisaties/<int:pk>/", views.organisation_edit, name="organisation_update"),
]
