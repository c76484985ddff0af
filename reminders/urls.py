from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.deadline_list, name="deadline_list"),
    path("uitstel/<str:kind>/<str:object_type>/<str:object_id>/", views.postpone, name="postpone"),
    path("uitstel/<int:pk>/opheffen/", views.postponement_lift, name="postponement_lift"),
    path("instellingen/", views.reminder_settings, name="settings"),
]
