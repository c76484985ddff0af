from django.urls import path

from ipgar.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("mijn-werk/", views.my_work, name="my_work"),
    path(
        "mijn-werk/meldingen/<int:pk>/gelezen/", views.notification_read, name="notification_read"
    ),
    path("hulp/", views.help_index, name="help"),
    path("hulp/<slug:slug>/", views.help_page, name="help_page"),
    path("health/", views.health, name="health"),
    path("ping/", views.ping, name="ping"),
]
